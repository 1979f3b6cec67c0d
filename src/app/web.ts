import { Gauge } from 'prom-client';
import type { Config } from '../platform/config.js';
import type { Queues } from '../platform/queue-connections.js';
import { OnFirstUse } from '../platform/on-first-use.js';
import { createRedis } from '../platform/redis-connection.js';
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
  const connection = createRedis(config, 'queues');
  // BullMQ is loaded when the console's jobs page first needs it, not at start (memory per process).
  const queues = new OnFirstUse<Queues>(async () =>
    (await import('../platform/queue-connections.js')).queuesOn(connection, config),
  );
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
    queues: () => queues.get(),
  });
  logger.info({ port: web.port }, 'web process listening');
  return async () => {
    await web.close(config.SHUTDOWN_TIMEOUT_MS);
    const made = await queues.made();
    if (made) await (await import('../platform/queue-connections.js')).closeQueues(made, connection);
    else connection.disconnect();
    await deps.db.destroy();
  };
}
