import { sql } from 'kysely';
import { contactDb } from '../contact/contact.tables.js';
import type { Db } from '../platform/database.js';

/**
 * The figures of a report to the Personal Information Protection Commission: counts only, never a
 * row about a person, each counted as of `asOf` from the timestamp the event left behind.
 */

const count = sql<string>`count(*)`;
const toNumber = <T extends { n: string }>(rows: T[]) => rows.map((r) => ({ ...r, n: Number(r.n) }));

/** Persons notified, per leaked item (each customer row lists the items leaked about that person). */
export async function notifiedByLeakedItem(db: Db, campaignId: string, asOf: Date) {
  const rows = await db
    .selectFrom('customers')
    .select([sql<string>`unnest(leaked_items)`.as('item'), count.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('created_at', '<=', asOf)
    .groupBy('item')
    .execute();
  return toNumber(rows);
}

export async function countNotified(db: Db, campaignId: string, asOf: Date): Promise<number> {
  const r = await db
    .selectFrom('customers')
    .select(count.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('created_at', '<=', asOf)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Letters issued by finished import runs (one letter per imported customer). */
export async function lettersIssued(db: Db, campaignId: string, asOf: Date) {
  const r = await db
    .selectFrom('import_runs')
    .select([count.as('runs'), sql<string>`coalesce(sum(imported), 0)`.as('letters')])
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'done')
    .where('finished_at', '<=', asOf)
    .executeTakeFirstOrThrow();
  return { runs: Number(r.runs), letters: Number(r.letters) };
}

/** Redemptions by channel, gift and delivery (delivered = fulfilled by the as-of time). */
export async function redemptionFigures(db: Db, campaignId: string, asOf: Date) {
  const rows = await db
    .selectFrom('redemptions')
    .select([
      'channel',
      'option',
      'data_choice',
      sql<boolean>`coalesce(fulfilled_at <= ${asOf}, false)`.as('delivered'),
      count.as('n'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('redeemed_at', '<=', asOf)
    .groupBy(['channel', 'option', 'data_choice', 'delivered'])
    .execute();
  return toNumber(rows);
}

export async function countErased(db: Db, campaignId: string, asOf: Date): Promise<number> {
  const r = await db
    .selectFrom('customers')
    .select(count.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('erased_at', '<=', asOf)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marketing opt-outs requested, and handed to the company (exported), by the as-of time. */
export async function optOutFigures(db: Db, campaignId: string, asOf: Date) {
  const r = await db
    .selectFrom('suppression_list')
    .select([
      count.as('requested'),
      sql<string>`count(*) filter (where exported_at <= ${asOf})`.as('exported'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('requested_at', '<=', asOf)
    .executeTakeFirstOrThrow();
  return { requested: Number(r.requested), exported: Number(r.exported) };
}

/** Contact-centre requests by kind and by their status at the as-of time (undecided then = pending). */
export async function contactRequestFigures(db: Db, campaignId: string, asOf: Date) {
  // Grouped by position: the same expression twice would carry two parameters, which Postgres
  // does not recognise as one expression.
  const status = sql<string>`case when decided_at is null or decided_at > ${asOf} then 'pending' else status end`;
  const rows = await contactDb(db)
    .selectFrom('contact_requests')
    .select(['kind', status.as('status'), count.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('requested_at', '<=', asOf)
    .groupBy(['kind', sql`2`])
    .execute();
  return toNumber(rows);
}
