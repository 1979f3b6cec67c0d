import type { Queue } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { outboxPending, queueDepth } from './metrics.js';
import { countPending } from './outbox/outbox.repo.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Queue depth and failures per state, read from Redis at scrape time; outbox backlog from PostgreSQL. */
export function queueDepthCollector(queues: Queue[], db: Kysely<Database>): () => Promise<void> {
  return async () => {
    outboxPending.set(await countPending(db));
    for (const q of queues) {
      const counts = await q.getJobCounts(...STATES);
      for (const state of STATES) queueDepth.set({ queue: q.name, state }, counts[state] ?? 0);
    }
  };
}
