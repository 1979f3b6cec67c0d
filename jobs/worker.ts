import { pathToFileURL } from 'node:url';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { createEmoneySources } from '../src/fulfilment/emoney/sources.js';
import type { Config } from '../src/platform/config.js';
import { loadCliConfig } from '../src/app/cli-config.js';
import { failAndExit, installCrashHandlers, stopOnSignal } from '../src/platform/lifecycle.js';
import { serveMetrics } from '../src/platform/metricsServer.js';
import { queueDepthCollector } from '../src/platform/queueMetrics.js';
import { createDb, createPool } from '../src/platform/db.js';
import type { JobDeps } from '../src/platform/jobDeps.js';
import { createProcessLogger } from '../src/platform/logger.js';
import { jobDuration, jobFailures, registry } from '../src/platform/metrics.js';
import { QUEUE } from '../src/platform/queues.js';
import { createHandlers, isJobName, type Handlers } from '../src/app/job-handlers.js';
import { closeQueues, createQueues, queueSink } from '../src/platform/queue-connections.js';
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
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const now = options.now ?? (() => new Date());
  const deps: JobDeps = { config, pool, db: createDb(pool), logger, now, redis };
  const handlers = createHandlers(deps, createEmoneySources(config, deps.db, now));

  const processJob = async (job: Job) => {
    const started = performance.now();
    if (!isJobName(job.name, handlers)) throw new UnrecoverableError(`no handler for job ${job.name}`);
    try {
      const result = await (handlers[job.name] as Handlers['fulfil'])(job.data);
      jobDuration.observe({ name: job.name, outcome: 'ok' }, (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      jobFailures.inc({ name: job.name });
      jobDuration.observe({ name: job.name, outcome: 'error' }, (performance.now() - started) / 1000);
      logger.warn(
        { job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, err: (err as Error).message },
        'job failed',
      );
      throw err;
    }
  };
  const workerOpts = {
    connection: redis,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: Math.max(1_000, Math.floor(config.WORKER_LOCK_MS / 2)),
    // A worker killed mid-job leaves it stalled; it is retried, and handlers are idempotent.
    maxStalledCount: 50,
  };
  const workers = [
    new Worker(QUEUE.fulfilment, processJob, {
      ...workerOpts,
      concurrency: options.concurrency ?? config.WORKER_CONCURRENCY,
    }),
    new Worker(QUEUE.maintenance, processJob, { ...workerOpts, concurrency: 1 }),
    new Worker(QUEUE.imports, processJob, { ...workerOpts, concurrency: 1 }),
  ];
  for (const w of workers)
    w.on(
      'error',
      onceEvery(30_000, (err: Error) => logger.warn({ err: err.message }, 'worker connection problem')),
    );

  const { queues, connection } = createQueues(config.REDIS_URL);
  // In the background, until Redis takes them: a worker started during a Redis outage still starts.
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
  const stopRelay = startRelayLoop(deps.db, queueSink(queues), logger, now);
  logger.info('worker started');

  return async () => {
    stopping = true;
    await stopRelay();
    // close() waits for jobs in hand to finish; a SIGKILL instead leaves them to the stalled check.
    // Bounded: with Redis down close() would wait for it; a job cut short is retried (handlers are
    // idempotent), exactly as after a crash.
    const closed = await settlesWithin(
      Promise.all(workers.map((w) => w.close())),
      config.SHUTDOWN_TIMEOUT_MS,
    );
    if (!closed) await settlesWithin(Promise.all(workers.map((w) => w.close(true))), 1_000);
    await settlesWithin(closeQueues(queues, connection), 1_000);
    redis.disconnect();
    await deps.db.destroy();
  };
}

/** Whether `promise` settled within `ms` (it is left running otherwise). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const settled = promise.then(
    () => true,
    () => true,
  );
  const result = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return result;
}

/** `fn`, at most once per `ms`: a Redis outage makes every connection retry many times a second. */
function onceEvery<A extends unknown[]>(ms: number, fn: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    fn(...args);
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
  const { queues, connection } = createQueues(config.REDIS_URL);
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
