import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import './lost-letter.table.js';
import '../customers/customer.table.js';

/** SQL of the lost-letter search: its per-staff limit and the one index probe by digest. */

/** Recorded before it is counted, in its own statement (as the look-ups by code): none slips past. */
export async function recordSearch(db: Db, staffId: string, at: Date, windowStart: Date): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    with old as (
      delete from lost_letter_searches where staff_id = ${staffId} and at <= ${windowStart}
    )
    insert into lost_letter_searches (staff_id, at) values (${staffId}, ${at}) returning id`.execute(db);
  return rows[0]!.id;
}

export async function countSearches(db: Db, staffId: string, windowStart: Date): Promise<number> {
  const row = await db
    .selectFrom('lost_letter_searches')
    .select(sql<string>`count(*)`.as('n'))
    .where('staff_id', '=', staffId)
    .where('at', '>', windowStart)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A refused search does not count: waiting out the hour is enough. */
export async function forgetSearch(db: Db, id: string): Promise<void> {
  await db.deleteFrom('lost_letter_searches').where('id', '=', id).execute();
}

/** Up to `limit` customers of the campaign whose three values have this digest (partial index). */
export async function findByLostLetterDigest(
  db: Db,
  campaignId: string,
  digest: Buffer,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_personal')
    .select('customer_id')
    .where('campaign_id', '=', campaignId)
    .where('lost_letter_digest', '=', digest)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.customer_id);
}
