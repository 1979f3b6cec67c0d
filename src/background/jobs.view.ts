import type { Queue } from 'bullmq';
import type { Db } from '../platform/database.js';
import { JOBS_TEXT, jobLabel, QUEUE_STATES, queueLabel, STATE_LABELS, waitedFor } from './jobs.messages.js';
import { listFailedJobs, queueHealth } from './jobs.queues.js';
import { outboxBacklog } from './jobs.repo.js';

/**
 * What the jobs page shows: each queue's jobs per state, the outbox's backlog (from PostgreSQL, so
 * it is there even when Redis is not), and the failed jobs. Names are shown in Japanese.
 */
export async function jobsPage(db: Db, queues: Record<string, Queue> | undefined, now: Date) {
  const [failures, health, backlog] = await Promise.all([
    queues ? listFailedJobs(queues) : [],
    queues ? queueHealth(queues) : [],
    outboxBacklog(db),
  ]);
  return {
    pageTitle: JOBS_TEXT.pageTitle,
    connected: Boolean(queues),
    notConnected: JOBS_TEXT.notConnected,
    redisDown: health.some((h) => h.counts === null),
    redisDownNote: JOBS_TEXT.redisDownNote,
    states: QUEUE_STATES.map((key) => ({ key, label: STATE_LABELS[key] })),
    health: health.map((h) => ({ ...h, label: queueLabel(h.queue) })),
    backlog: {
      pending: backlog.pending,
      oldestAt: backlog.oldestAt,
      waited: backlog.oldestAt ? waitedFor(now.getTime() - backlog.oldestAt.getTime()) : null,
    },
    queues: failures.map((f) => ({
      ...f,
      label: queueLabel(f.queue),
      jobs: f.jobs.map((j) => ({ ...j, label: jobLabel(j.name) })),
    })),
  };
}
