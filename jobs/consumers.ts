import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isJobName, type Handlers } from '../src/app/job-handlers.js';
import type { Config } from '../src/platform/config.js';
import type { Logger } from '../src/platform/logger.js';
import { jobDuration, jobFailures } from '../src/platform/metrics.js';
import { QUEUE } from '../src/platform/queues.js';

/** The queues' consumers: one BullMQ worker per queue, each job handed to the app's handler table. */

/** Runs a job through its handler, timing it and counting failures; an unknown name is never retried. */
function jobProcessor(handlers: Handlers, logger: Logger) {
  return async (job: Job) => {
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
}

/**
 * Fulfilment runs `concurrency` jobs at once (HTTP-bound vendor calls); maintenance and imports one
 * at a time. A connection problem is logged at most every 30 s per worker.
 */
export function startConsumers(
  config: Config,
  redis: Redis,
  handlers: Handlers,
  logger: Logger,
  concurrency: number,
): Worker[] {
  const processJob = jobProcessor(handlers, logger);
  const options = {
    connection: redis,
    prefix: config.REDIS_PREFIX,
    lockDuration: config.WORKER_LOCK_MS,
    stalledInterval: Math.max(1_000, Math.floor(config.WORKER_LOCK_MS / 2)),
    // A worker killed mid-job leaves it stalled; it is retried, and handlers are idempotent.
    maxStalledCount: 50,
  };
  const workers = [
    new Worker(QUEUE.fulfilment, processJob, { ...options, concurrency }),
    new Worker(QUEUE.maintenance, processJob, { ...options, concurrency: 1 }),
    new Worker(QUEUE.imports, processJob, { ...options, concurrency: 1 }),
  ];
  for (const w of workers)
    w.on(
      'error',
      onceEvery(30_000, (err: Error) => logger.warn({ err: err.message }, 'worker connection problem')),
    );
  return workers;
}

/**
 * close() waits for jobs in hand to finish; a SIGKILL instead leaves them to the stalled check.
 * Bounded: with Redis down close() would wait for it; a job cut short is retried (handlers are
 * idempotent), exactly as after a crash.
 */
export async function closeConsumers(workers: Worker[], graceMs: number): Promise<void> {
  const closed = await settlesWithin(Promise.all(workers.map((w) => w.close())), graceMs);
  if (!closed) await settlesWithin(Promise.all(workers.map((w) => w.close(true))), 1_000);
}

/** Whether `promise` settled within `ms` (it is left running otherwise). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
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
