import { Gauge } from 'prom-client';
import { createQueues, closeQueues } from '../platform/queue-connections.js';
import type { Config } from '../platform/config.js';
import { createDb, createPool } from '../platform/db.js';
import type { AppDeps } from '../platform/deps.js';
import { createProcessLogger } from '../platform/logger.js';
import { registry } from '../platform/metrics.js';
import { createObjectStore } from '../platform/storage/storage.config.js';
import { startWebServer } from './server.js';

/** One web process: serves the customer pages and the console; returns its graceful stop. */
export async function runWeb(config: Config): Promise<() => Promise<void>> {
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
  const logger = createProcessLogger(config).child({ role: 'web' });
  const deps: AppDeps = {
    config,
    pool,
    db: createDb(pool),
    logger,
    store: createObjectStore(config),
    now: () => new Date(),
  };
  const { queues, connection } = createQueues(config);
  const redisProbe = async () => void (await connection.ping());
  new Gauge({
    name: 'owabi_redis_up',
    help: 'Whether this web process reaches Redis (customers can still redeem when it does not)',
    registers: [registry],
    aggregator: 'min',
    async collect() {
      this.set(
        await redisProbe().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  const web = await startWebServer(deps, config.PORT, config.HOST, {
    readinessProbes: [{ name: 'redis', required: false, check: redisProbe }],
    queues,
  });
  logger.info({ port: web.port }, 'web process listening');
  return async () => {
    await web.close(config.SHUTDOWN_TIMEOUT_MS);
    await closeQueues(queues, connection);
    await deps.db.destroy();
  };
}
