import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { claimPending, markRelayed } from './outbox.repo.js';

/** Where relayed jobs go: BullMQ in production; anything with the same shape in a CLI run. */
export interface JobSink {
  addBulk(
    queue: string,
    jobs: { name: string; jobId: string; data: Record<string, string> }[],
  ): Promise<void>;
}

/**
 * Moves committed job intents to the queue. The rows stay locked until the queue has accepted
 * them; if Redis is down the transaction rolls back and the next pass tries again. A crash after
 * the add but before the commit re-adds the same job ids, which BullMQ ignores.
 */
export async function relayOnce(
  db: Kysely<Database>,
  sink: JobSink,
  now: () => Date,
  limit = 500,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const entries = await claimPending(trx, limit);
    if (entries.length === 0) return 0;
    const byQueue = new Map<string, typeof entries>();
    for (const e of entries) byQueue.set(e.queue, [...(byQueue.get(e.queue) ?? []), e]);
    for (const [queue, list] of byQueue) {
      await sink.addBulk(
        queue,
        list.map((e) => ({ name: e.job_name, jobId: e.job_id, data: e.payload })),
      );
    }
    await markRelayed(
      trx,
      entries.map((e) => e.id),
      now(),
    );
    return entries.length;
  });
}
