import { sql, type Insertable } from 'kysely';
import type { Db } from '../platform/database.js';
import type { PostcardEntryRow, PostcardEntryTable, PostcardOutcome } from './postcard.table.js';

/** Postcard entries (one row per card per keying): SQL only. */

export type NewEntry = Insertable<PostcardEntryTable>;

export async function insertEntry(db: Db, row: NewEntry): Promise<string> {
  const r = await db.insertInto('postcard_entries').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findEntry(db: Db, id: string): Promise<PostcardEntryRow | undefined> {
  return db.selectFrom('postcard_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findEntryAt(
  db: Db,
  batchId: string,
  seq: number,
  keying: number,
  lock = false,
): Promise<PostcardEntryRow | undefined> {
  let q = db
    .selectFrom('postcard_entries')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('seq', '=', seq)
    .where('keying', '=', keying);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function setEntryOutcome(
  db: Db,
  ids: string[],
  set: {
    outcome: PostcardOutcome;
    reason: string | null;
    redemption_id?: string | null;
    customer_id?: string | null;
    followup_resolved_at?: Date | null;
  },
): Promise<void> {
  if (ids.length) await db.updateTable('postcard_entries').set(set).where('id', 'in', ids).execute();
}

export async function countKeyed(db: Db, batchId: string): Promise<{ keyed1: number; keyed2: number }> {
  const r = await db
    .selectFrom('postcard_entries')
    .select([
      sql<string>`count(*) filter (where keying = 1)`.as('k1'),
      sql<string>`count(*) filter (where keying = 2)`.as('k2'),
    ])
    .where('batch_id', '=', batchId)
    .executeTakeFirstOrThrow();
  return { keyed1: Number(r.k1), keyed2: Number(r.k2) };
}

/**
 * The next card to key: for the first keying the first position of the tray not yet keyed (an
 * OCR file's rejected rows leave gaps that are keyed by hand in order); for the second keying the
 * first card of the first keying not yet keyed again. Cards are mostly keyed in order, so when
 * the highest position equals the count there is no gap and no scan.
 */
export async function nextSeq(
  db: Db,
  batchId: string,
  physicalCount: number,
  keying: 1 | 2,
  keyedCount: number,
): Promise<number | null> {
  if (keyedCount >= physicalCount) return null;
  const top = await db
    .selectFrom('postcard_entries')
    .select('seq')
    .where('batch_id', '=', batchId)
    .where('keying', '=', keying)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if ((top?.seq ?? 0) === keyedCount) return keyedCount + 1;
  const r =
    keying === 1
      ? await sql<{ seq: number | null }>`
          select min(s.seq)::int as seq from generate_series(1, ${physicalCount}::int) as s(seq)
           where not exists (select 1 from postcard_entries e
                              where e.batch_id = ${batchId} and e.keying = 1 and e.seq = s.seq)`.execute(db)
      : await sql<{ seq: number | null }>`
          select min(e.seq)::int as seq from postcard_entries e
           where e.batch_id = ${batchId} and e.keying = 1
             and not exists (select 1 from postcard_entries f
                              where f.batch_id = e.batch_id and f.keying = 2 and f.seq = e.seq)`.execute(db);
  return r.rows[0]?.seq ?? null;
}

/** The postmark of the batch's last card in tray order: most cards of one tray share it. */
export async function lastPostmark(db: Db, batchId: string): Promise<string | null> {
  const r = await db
    .selectFrom('postcard_entries')
    .select('postmark_date')
    .where('batch_id', '=', batchId)
    .where('postmark_date', 'is not', null)
    .orderBy('seq', 'desc')
    .orderBy('keying', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.postmark_date ?? null;
}

export async function recentEntries(db: Db, batchId: string, keying: number, limit = 10) {
  return db
    .selectFrom('postcard_entries')
    .select(['id', 'seq', 'keying', 'registration_code', 'outcome', 'reason', 'entered_at'])
    .where('batch_id', '=', batchId)
    .where('keying', '=', keying)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

/** Who keyed the batch's first keying (they may not key it again). */
export async function firstKeyers(db: Db, batchId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('postcard_entries')
    .select('entered_by')
    .distinct()
    .where('batch_id', '=', batchId)
    .where('keying', '=', 1)
    .execute();
  return rows.map((r) => r.entered_by);
}

/** Positions among `seqs` already keyed in this keying. */
export async function keyedSeqs(
  db: Db,
  batchId: string,
  keying: number,
  seqs?: number[],
): Promise<Set<number>> {
  let q = db
    .selectFrom('postcard_entries')
    .select('seq')
    .where('batch_id', '=', batchId)
    .where('keying', '=', keying);
  if (seqs) {
    if (seqs.length === 0) return new Set();
    q = q.where('seq', '=', sql<number>`any(${seqs}::int[])`);
  }
  return new Set((await q.execute()).map((r) => r.seq));
}

export async function maxKeyedSeq(db: Db, batchId: string): Promise<number> {
  const r = await db
    .selectFrom('postcard_entries')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

export interface BulkEntry {
  seq: number;
  code: string;
  customerId: string | null;
  gifts: string[];
  dataChoice: string;
  postmarkDate: string;
  outcome: PostcardOutcome;
  reason: string | null;
  redemptionId: string | null;
}

/**
 * An OCR file's chunk of entries, all of one batch, keying and clerk: one statement with one array
 * parameter per column (unnest), instead of one per card or thousands of parameters.
 */
export async function insertEntries(
  db: Db,
  common: { batchId: string; campaignId: string; keying: 1 | 2; enteredBy: string; at: Date },
  rows: BulkEntry[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into postcard_entries
      (batch_id, campaign_id, seq, keying, registration_code, customer_id, ticked_options, data_choice,
       postmark_date, outcome, reason, redemption_id, entered_by, entered_at)
    select ${common.batchId}, ${common.campaignId}, t.seq, ${common.keying}, t.code, t.customer_id,
           string_to_array(t.gifts, ','), t.data_choice, t.postmark_date, t.outcome, t.reason, t.redemption_id,
           ${common.enteredBy}, ${common.at}
      from unnest(${rows.map((x) => x.seq)}::int[], ${rows.map((x) => x.code)}::text[],
                  ${rows.map((x) => x.customerId)}::bigint[], ${rows.map((x) => x.gifts.join(','))}::text[],
                  ${rows.map((x) => x.dataChoice)}::text[], ${rows.map((x) => x.postmarkDate)}::date[],
                  ${rows.map((x) => x.outcome)}::text[], ${rows.map((x) => x.reason)}::text[],
                  ${rows.map((x) => x.redemptionId)}::bigint[])
           as t(seq, code, customer_id, gifts, data_choice, postmark_date, outcome, reason, redemption_id)`.execute(
    db,
  );
}
