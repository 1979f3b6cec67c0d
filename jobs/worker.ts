import { pathToFileURL } from 'node:url';
import { createEmoneySources } from '../src/fulfilment/emoney/sources.js';
import type { Config } from '../src/platform/config.js';
import { loadCliConfig } from '../src/app/cli-config.js';
import { failAndExit, installCrashHandlers, stopOnSignal } from '../src/platform/lifecycle.js';
import { serveMetrics } from '../src/platform/metrics-server.js';
import { queueDepthCollector } from '../src/platform/queue-metrics.js';
import { createDb, createPool } from '../src/platform/db.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { createProcessLogger, type Logger } from '../src/platform/logger.js';
import { registry } from '../src/platform/metrics.js';
import { createObjectStore } from '../src/platform/storage/storage.config.js';
import { createHandlers } from '../src/app/job-handlers.js';
import { closeQueues, createQueues, queueSink, type Queues } from '../src/platform/queue-connections.js';
import { createRedis } from '../src/platform/redis-connection.js';
import { closeConsumers, settlesWithin, startConsumers } from './consumers.js';
import { startRelayLoop } from './relay-loop.js';
import { registerSchedules } from './schedules.js';

export interface WorkerOptions {
  /** Concurrency of the fulfilment queue (HTTP-bound vendor calls). */
  concurrency?: number;
  now?: () => Date;
}

/** Runs the queues' consumers, the outbox relay and the schedules; returns a graceful stop. */
export async function runWorker(config: Config, options: WorkerOptions = {}): Promise<() => Promise<void>> {
  const logger = createProcessLogger(config).child({ role: 'worker' });
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
  const redis = createRedis(config, 'worker');
  const now = options.now ?? (() => new Date());
  const deps: JobDeps = {
    config,
    pool,
    db: createDb(pool),
    logger,
    store: createObjectStore(config),
    now,
    redis,
  };
  const handlers = createHandlers(deps, createEmoneySources(config, deps.db, now));
  const workers = startConsumers(
    config,
    redis,
    handlers,
    logger,
    options.concurrency ?? config.WORKER_CONCURRENCY,
  );

  const { queues, connection } = createQueues(config);
  const stopSchedules = registerSchedulesWhenReachable(queues, logger);
  const stopRelay = startRelayLoop(deps.db, queueSink(queues), logger, now);
  logger.info('worker started');

  return async () => {
    stopSchedules();
    await stopRelay();
    await closeConsumers(workers, config.SHUTDOWN_TIMEOUT_MS);
    await settlesWithin(closeQueues(queues, connection), 1_000);
    redis.disconnect();
    await deps.db.destroy();
  };
}

/**
 * Registers the schedules in the background, retrying until Redis takes them: a worker started
 * during a Redis outage still starts. Returns the stop of the retries.
 */
function registerSchedulesWhenReachable(queues: Queues, logger: Logger): () => void {
  let stopping = false;
  void (async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        return await registerSchedules(queues);
      } catch (err) {
        if (attempt === 0) logger.warn({ err: (err as Error).message }, 'schedules not registered yet');
        await new Promise((r) => setTimeout(r, 5_000).unref());
      }
    }
  })();
  return () => {
    stopping = true;
  };
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  // `npm run worker`, or forked by the primary: without DATABASE_URL, the quick start's services.
  const config = loadCliConfig();
  const logger = createProcessLogger(config).child({ role: 'worker' });
  installCrashHandlers(logger);
  const running: { stop?: () => Promise<void> } = {};
  stopOnSignal(async () => running.stop?.(), config.SHUTDOWN_TIMEOUT_MS + 5_000, logger);
  const stop = await runWorker(config).catch((err: unknown) => failAndExit('Owabi worker', err));
  const metrics = config.WORKER_METRICS_PORT
    ? await serveWorkerMetrics(config).catch((err: unknown) => failAndExit('Owabi worker metrics', err))
    : undefined;
  running.stop = async () => {
    metrics?.close();
    await stop();
  };
  if (process.send) {
    // Forked by the primary: if it vanishes (SIGKILL), stop too rather than run unsupervised.
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    process.send('owabi:ready');
  }
}

/** The worker's metrics, with queue depth and the outbox backlog read at scrape time. */
async function serveWorkerMetrics(config: Config) {
  const pool = createPool(config.DATABASE_URL, 1);
  const db = createDb(pool);
  const { queues, connection } = createQueues(config);
  const refresh = queueDepthCollector(Object.values(queues), db);
  const server = await serveMetrics(config.WORKER_METRICS_PORT, config.METRICS_HOST, async () => {
    await refresh().catch(() => undefined);
    return { contentType: registry.contentType, body: await registry.metrics() };
  });
  server.on('close', () => {
    void closeQueues(queues, connection);
    void db.destroy();
  });
  return server;
}
