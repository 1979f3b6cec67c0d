import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL behind the console's fulfilment pages: overviews and listings, never a personal column. */

export interface CampaignFulfilmentRow {
  id: string;
  slug: string;
  company_name: string;
  state: string;
  batches: number;
  unshipped_batches: number;
  /** Book cards waiting for a batch (with an address to ship to). */
  unbatched_cards: number;
}

/** One line per campaign; each count is an index probe on that campaign's rows. */
export async function listCampaignFulfilment(db: Db): Promise<CampaignFulfilmentRow[]> {
  const { rows } = await sql<CampaignFulfilmentRow>`
    select c.id, c.slug, c.company_name, c.state,
           (select count(*) from shipping_batches b where b.campaign_id = c.id)::int as batches,
           (select count(*) from shipping_batches b
             where b.campaign_id = c.id and b.shipped_at is null)::int as unshipped_batches,
           ${unbatchedCards(sql`c.id`)} as unbatched_cards
      from campaigns c
     order by c.id desc`.execute(db);
  return rows;
}

/** The same test as the cut: book card, not fulfilled, no line yet, personal data present. */
const unbatchedCards = (campaignId: RawBuilder<unknown>) => sql<number>`(
  select count(*) from redemptions r
   where r.campaign_id = ${campaignId} and r.option = 'book_card' and r.fulfilled_at is null
     and exists (select 1 from customer_personal p where p.campaign_id = r.campaign_id and p.customer_id = r.customer_id)
     and not exists (select 1 from shipping_lines l where l.redemption_id = r.id))::int`;

export async function countUnbatchedCards(db: Db, campaignId: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select ${unbatchedCards(sql`${campaignId}::bigint`)} as n`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Lines of each batch that carry a tracking number from the vendor's shipped file. */
export async function countTrackedLines(db: Db, batchIds: string[]): Promise<Map<string, number>> {
  if (batchIds.length === 0) return new Map();
  const { rows } = await sql<{ batch_id: string; n: number }>`
    select batch_id, count(*)::int as n from shipping_lines
     where batch_id = any(${batchIds}::bigint[]) and tracking_number is not null
     group by batch_id`.execute(db);
  return new Map(rows.map((r) => [r.batch_id, r.n]));
}

export interface DonationEntryRow {
  redemption_id: string;
  campaign_slug: string;
  recipient: string;
  amount_yen: number;
  booked_at: Date;
}

/** The latest ledger entries: redemption number, recipient, amount, date. Nothing about the donor. */
export async function listLatestDonations(db: Db, limit: number): Promise<DonationEntryRow[]> {
  return db
    .selectFrom('donation_ledger as d')
    .innerJoin('campaigns as c', 'c.id', 'd.campaign_id')
    .select(['d.redemption_id', 'c.slug as campaign_slug', 'd.recipient', 'd.amount_yen', 'd.booked_at'])
    .orderBy('d.booked_at', 'desc')
    .orderBy('d.redemption_id', 'desc')
    .limit(limit)
    .execute();
}

export interface PurgeReportRow {
  id: string;
  campaign_id: string;
  campaign_slug: string;
  started_at: Date;
  finished_at: Date;
  report: unknown;
}

export type PurgeReportListRow = Omit<PurgeReportRow, 'report'> & {
  /** passed | failed | refused; reports written before refusals existed have only `passed`. */
  outcome: string | null;
};

export async function listPurgeReports(db: Db, limit: number): Promise<PurgeReportListRow[]> {
  return db
    .selectFrom('purge_reports as p')
    .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
    .select(['p.id', 'p.campaign_id', 'c.slug as campaign_slug', 'p.started_at', 'p.finished_at'])
    .select(
      sql<string | null>`coalesce(p.report->>'outcome',
        case (p.report->>'passed')::boolean when true then 'passed' when false then 'failed' end)`.as(
        'outcome',
      ),
    )
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
}

export async function findPurgeReport(db: Db, id: string): Promise<PurgeReportRow | undefined> {
  return db
    .selectFrom('purge_reports as p')
    .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
    .select(['p.id', 'p.campaign_id', 'c.slug as campaign_slug', 'p.started_at', 'p.finished_at', 'p.report'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export interface DonationTotalRow {
  campaign_id: string;
  campaign_slug: string;
  company_name: string;
  /** The recipient named in the campaign; null when the campaign offers no donation. */
  recipient: string | null;
  count: number;
  total_yen: number;
}

/** Count and sum per campaign that offers a donation or has booked one. */
export async function listDonationTotals(db: Db): Promise<DonationTotalRow[]> {
  const { rows } = await sql<DonationTotalRow>`
    select c.id as campaign_id, c.slug as campaign_slug, c.company_name,
           c.definition->'options'->'donation'->>'recipient' as recipient,
           coalesce(d.n, 0)::int as count, coalesce(d.total, 0)::bigint::float8 as total_yen
      from campaigns c
      left join (select campaign_id, count(*) as n, sum(amount_yen) as total
                   from donation_ledger group by campaign_id) d on d.campaign_id = c.id
     where d.n > 0 or c.definition->'options'->'donation'->>'recipient' is not null
     order by c.id desc`.execute(db);
  return rows;
}
