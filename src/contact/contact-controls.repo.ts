import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { contactDb } from './contact.tables.js';

/** SQL of the contact centre's controls: staff notes and the per-staff look-up limit. */

export async function insertNote(
  db: Db,
  note: { campaign_id: string; customer_id: string; staff_id: string; at: Date; body: string },
): Promise<string> {
  const row = await contactDb(db)
    .insertInto('contact_notes')
    .values(note)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findNoteBodies(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = ids.filter((id): id is string => id !== null);
  if (wanted.length === 0) return new Map();
  const rows = await contactDb(db)
    .selectFrom('contact_notes')
    .select(['id', 'body'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r.body]));
}

/**
 * Records a look-up before it is counted, in its own statement (committed at once): of concurrent
 * look-ups the k-th recorded counts at least k, so none slips past the limit. This staff member's
 * rows older than the window are cleared on the way.
 */
export async function recordLookup(db: Db, staffId: string, at: Date, windowStart: Date): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    with old as (
      delete from contact_lookups where staff_id = ${staffId} and at <= ${windowStart}
    )
    insert into contact_lookups (staff_id, at) values (${staffId}, ${at}) returning id`.execute(db);
  return rows[0]!.id;
}

export async function countLookups(db: Db, staffId: string, windowStart: Date): Promise<number> {
  const row = await contactDb(db)
    .selectFrom('contact_lookups')
    .select(sql<string>`count(*)`.as('n'))
    .where('staff_id', '=', staffId)
    .where('at', '>', windowStart)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A refused look-up does not count: waiting out the hour is enough to be let in again. */
export async function forgetLookup(db: Db, id: string): Promise<void> {
  await contactDb(db).deleteFrom('contact_lookups').where('id', '=', id).execute();
}
