import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/database.js';

/**
 * Aggregates only: counts and sums per campaign, never a row about a person. Days are calendar
 * days in Japan (the campaign's customers and deadlines are Japanese), as 'YYYY-MM-DD' text.
 */
const jstDay = (column: string): RawBuilder<string> =>
  sql<string>`to_char(date_trunc('day', ${sql.ref(column)} at time zone 'Asia/Tokyo'), 'YYYY-MM-DD')`;

export interface CampaignListRow {
  id: string;
  slug: string;
  company_name: string;
  state: string;
}

export async function listCampaigns(db: Db, limit = 500): Promise<CampaignListRow[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'company_name', 'state'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface RedemptionDayRow {
  day: string;
  option: string;
  brand: string | null;
  channel: string;
  data_choice: string;
  n: number;
}

/** One pass over the campaign's redemptions serves the option, brand, channel and data-choice charts. */
export async function redemptionsPerDay(db: Db, campaignId: string): Promise<RedemptionDayRow[]> {
  const day = jstDay('redeemed_at');
  const rows = await db
    .selectFrom('redemptions')
    .select([day.as('day'), 'option', 'brand', 'channel', 'data_choice', sql<string>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy([day, 'option', 'brand', 'channel', 'data_choice'])
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Every customer row of a campaign is one person the letter went to. */
export async function countCustomersNotified(db: Db, campaignId: string): Promise<number> {
  const r = await db
    .selectFrom('customers')
    .select(sql<string>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Erasures carried out (the tombstone keeps `erased_at`), per day. */
export async function erasuresPerDay(db: Db, campaignId: string): Promise<{ day: string; n: number }[]> {
  const day = jstDay('erased_at');
  const rows = await db
    .selectFrom('customers')
    .select([day.as('day'), sql<string>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('erased_at', 'is not', null)
    .groupBy(day)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: r.day, n: Number(r.n) }));
}

/** Donations booked in the ledger, per day of booking. */
export async function donationsPerDay(
  db: Db,
  campaignId: string,
): Promise<{ day: string; n: number; yen: number }[]> {
  const day = jstDay('booked_at');
  const rows = await db
    .selectFrom('donation_ledger')
    .select([day.as('day'), sql<string>`count(*)`.as('n'), sql<string>`sum(amount_yen)`.as('yen')])
    .where('campaign_id', '=', campaignId)
    .groupBy(day)
    .orderBy('day')
    .execute();
  return rows.map((r) => ({ day: r.day, n: Number(r.n), yen: Number(r.yen) }));
}
