import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { PostcardBatchRow, PostcardOutcome } from './postcard.table.js';

/** Postcard batches (trays): SQL only. */

export async function insertBatch(
  db: Db,
  row: {
    campaign_id: string;
    label: string;
    physical_count: number;
    second_keying: boolean;
    opened_by: string;
  },
  at: Date,
): Promise<string> {
  const r = await db
    .insertInto('postcard_batches')
    .values({ ...row, opened_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findBatch(db: Db, id: string): Promise<PostcardBatchRow | undefined> {
  return db.selectFrom('postcard_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The batch's row locked after the batch's turn: an advisory lock, because PostgreSQL queues those
 * fairly. Row locks are not queued: a FOR SHARE is granted at once while other sharers hold the row,
 * even with a FOR UPDATE waiting, so a clerk's entry could wait behind a whole OCR file whose chunks
 * overlap. Here a chunk that comes after a waiting writer waits behind it.
 */
async function takeBatch(
  db: Db,
  id: string,
  mode: 'update' | 'share',
): Promise<PostcardBatchRow | undefined> {
  const turn = sql.raw(mode === 'update' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared');
  const r = await sql<PostcardBatchRow>`
    select b.* from ${turn}(hashtextextended(${`owabi:postcard-batch:${id}`}, 0)) as turn, postcard_batches b
     where b.id = ${id} for ${sql.raw(mode)} of b`.execute(db);
  return r.rows[0];
}

/** Locks the batch for a writer: entries, uploads, corrections and closing take turns per batch. */
export const lockBatch = (db: Db, id: string) => takeBatch(db, id, 'update');

/**
 * The batch locked against everything that locks it for update (hand keying, closing, follow-ups)
 * but not against another of an OCR file's chunks: those write side by side.
 */
export const shareBatch = (db: Db, id: string) => takeBatch(db, id, 'share');

export interface BatchListRow extends PostcardBatchRow {
  keyed1: number;
  keyed2: number;
}

/** Open batches first, then the most recent closed ones, with their entered counts. */
export async function listBatches(db: Db, campaignId: string, limit = 200): Promise<BatchListRow[]> {
  const rows = await db
    .selectFrom('postcard_batches as b')
    .selectAll('b')
    .select([
      sql<string>`(select count(*) from postcard_entries e where e.batch_id = b.id and e.keying = 1)`.as(
        'k1',
      ),
      sql<string>`(select count(*) from postcard_entries e where e.batch_id = b.id and e.keying = 2)`.as(
        'k2',
      ),
    ])
    .where('b.campaign_id', '=', campaignId)
    .orderBy(sql`b.closed_at is null`, 'desc')
    .orderBy('b.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(({ k1, k2, ...b }) => ({ ...b, keyed1: Number(k1), keyed2: Number(k2) }));
}

export async function closeBatch(db: Db, id: string, staffId: string, at: Date): Promise<void> {
  await db
    .updateTable('postcard_batches')
    .set({ closed_at: at, closed_by: staffId })
    .where('id', '=', id)
    .execute();
}

export async function setPhysicalCount(db: Db, id: string, physicalCount: number): Promise<void> {
  await db
    .updateTable('postcard_batches')
    .set({ physical_count: physicalCount })
    .where('id', '=', id)
    .execute();
}

/** Cards of a batch by outcome. Keying 1 rows always carry the card's current state. */
export async function outcomeCounts(
  db: Db,
  batchId: string,
): Promise<Partial<Record<PostcardOutcome, number>>> {
  const rows = await db
    .selectFrom('postcard_entries')
    .select(['outcome', sql<string>`count(*)`.as('n')])
    .where('batch_id', '=', batchId)
    .where('keying', '=', 1)
    .groupBy('outcome')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
}
