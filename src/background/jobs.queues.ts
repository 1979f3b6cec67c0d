import type { Job, Queue } from 'bullmq';
import { JOBS_TEXT, QUEUE_STATES, type QueueState } from './jobs.messages.js';

/**
 * Dead jobs for the console: what failed, how often and why, read from BullMQ. Never the job's
 * data: payloads hold ids only, but the page needs nothing of them beyond the job id.
 */

/** Failed jobs shown per queue, newest first; the count says how many there are in all. */
export const FAILED_PAGE_SIZE = 100;
/** A stuck Redis must not hang the page: each queue gets this long to answer. */
const REDIS_TIMEOUT_MS = 3_000;
/** Long enough for a stack's first line, short enough to keep the table readable. */
const REASON_MAX = 500;

export interface FailedJobView {
  id: string;
  name: string;
  attemptsMade: number;
  failedReason: string;
  failedAt: Date | null;
  createdAt: Date;
}

export interface QueueFailures {
  queue: string;
  total: number;
  jobs: FailedJobView[];
  /** Set when the queue could not be read (Redis down). */
  error: string | null;
}

/** Business keys (`fulfil-123`) and BullMQ's own ids (`repeat:…:1700000000000`, digits). */
export const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9:_.-]{0,199}$/;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('redis timeout')), REDIS_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const toView = (job: Job): FailedJobView => ({
  id: String(job.id),
  name: job.name,
  attemptsMade: job.attemptsMade,
  failedReason: (job.failedReason ?? '').slice(0, REASON_MAX),
  failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  createdAt: new Date(job.timestamp),
});

export async function listFailedJobs(queues: Record<string, Queue>): Promise<QueueFailures[]> {
  return Promise.all(
    Object.entries(queues).map(async ([name, queue]): Promise<QueueFailures> => {
      try {
        const [total, jobs] = await withTimeout(
          Promise.all([queue.getFailedCount(), queue.getFailed(0, FAILED_PAGE_SIZE - 1)]),
        );
        // A job removed between the two calls comes back as undefined.
        return { queue: name, total, jobs: jobs.filter(Boolean).map(toView), error: null };
      } catch {
        return { queue: name, total: 0, jobs: [], error: JOBS_TEXT.redisDown };
      }
    }),
  );
}

export interface QueueHealth {
  queue: string;
  /** Jobs per state; null when the queue could not be read (Redis down). */
  counts: Record<QueueState, number> | null;
}

/** How many jobs each queue holds in each state: the console's view of the worker's gauges. */
export async function queueHealth(queues: Record<string, Queue>): Promise<QueueHealth[]> {
  return Promise.all(
    Object.entries(queues).map(async ([name, queue]): Promise<QueueHealth> => {
      try {
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES));
        return {
          queue: name,
          counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<
            QueueState,
            number
          >,
        };
      } catch {
        return { queue: name, counts: null };
      }
    }),
  );
}

export type RetryOutcome = { kind: 'retried'; name: string } | { kind: 'not-failed' } | { kind: 'not-found' };

/**
 * Moves one failed job back to waiting. A job no longer failed (retried by someone else meanwhile,
 * or running) is left alone: BullMQ refuses, and we say so instead of failing.
 */
export async function retryFailedJob(queue: Queue, jobId: string): Promise<RetryOutcome> {
  const job = await withTimeout(queue.getJob(jobId));
  if (!job) return { kind: 'not-found' };
  if ((await withTimeout(job.getState())) !== 'failed') return { kind: 'not-failed' };
  try {
    await withTimeout(job.retry('failed'));
  } catch (err) {
    if ((await job.getState().catch(() => 'unknown')) !== 'failed') return { kind: 'not-failed' };
    throw err;
  }
  return { kind: 'retried', name: job.name };
}

/** Moves every failed job of the queue back to waiting; returns how many were failed before. */
export async function retryAllFailed(queue: Queue): Promise<number> {
  const count = await withTimeout(queue.getFailedCount());
  if (count > 0) await queue.retryJobs({ state: 'failed', count: 1_000 });
  return count;
}
