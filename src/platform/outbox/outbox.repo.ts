import { sql } from 'kysely';
import type { Db } from '../database.js';
import { JOB_QUEUE, type JobName, type JobPayloads } from '../queues.js';

export interface OutboxEntry {
  id: string;
  queue: string;
  job_name: string;
  job_id: string;
  payload: Record<string, string>;
}

/** Records the intent to run a job; call inside the transaction that makes the job necessary. */
export async function addToOutbox<N extends JobName>(
  db: Db,
  name: N,
  jobId: string,
  payload: JobPayloads[N],
): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      queue: JOB_QUEUE[name],
      job_name: name,
      job_id: jobId,
      payload: JSON.stringify(payload) as never,
    })
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

/** Locks a batch of unrelayed intents; other relays skip them instead of waiting. */
export async function claimPending(db: Db, limit: number): Promise<OutboxEntry[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'queue', 'job_name', 'job_id', 'payload'])
    .where('relayed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function markRelayed(db: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length) await db.updateTable('outbox').set({ relayed_at: at }).where('id', 'in', ids).execute();
}

export async function countPending(db: Db): Promise<number> {
  const r = await db
    .selectFrom('outbox')
    .select(sql<string>`count(*)`.as('n'))
    .where('relayed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Relayed intents are kept a while for audit, then dropped. */
export async function deleteRelayedBefore(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('outbox').where('relayed_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
