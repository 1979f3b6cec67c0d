import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { undeliveredPredicate } from './purge-gifts.repo.js';

/** SQL of the deadlines: closing campaigns, counting what would outlive the purge, the alert rows. */

export async function closeCampaignsPastDeadline(db: Db, now: Date): Promise<{ id: string; slug: string }[]> {
  return db
    .updateTable('campaigns')
    .set({ state: 'closed', closed_at: now })
    .where('state', '=', 'open')
    .where('deadline_at', '<', now)
    .returning(['id', 'slug'])
    .execute();
}

export interface CampaignNearPurge {
  id: string;
  slug: string;
  purgeDeadlineAt: Date;
}

/** Campaigns not yet purged whose purge deadline falls before `until` (or has passed). */
export async function listCampaignsNearPurge(
  db: Db,
  until: Date,
  campaignId?: string,
): Promise<CampaignNearPurge[]> {
  let q = db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'purge_deadline_at'])
    .where('state', '<>', 'purged')
    .where('purge_deadline_at', '<=', until)
    .orderBy('id');
  if (campaignId) q = q.where('id', '=', campaignId);
  return (await q.execute()).map((r) => ({ id: r.id, slug: r.slug, purgeDeadlineAt: r.purge_deadline_at }));
}

export interface PurgeRiskCounts {
  unshipped_book_cards: number;
  unfulfilled_emoney: number;
  unbooked_donations: number;
  pending_erasures: number;
  unexported_optouts: number;
}

/**
 * Counts, for one campaign, everything that still needs its personal data (partial indexes make
 * these cheap). Undelivered gifts are counted as the purge's guard counts them, so the alert and
 * a refused purge always agree.
 */
export async function countPurgeRisks(db: Db, campaignId: string): Promise<PurgeRiskCounts> {
  const { rows } = await sql<Record<keyof PurgeRiskCounts, string>>`
    select
      (select count(*) from redemptions r
        where r.campaign_id = ${campaignId} and r.option = 'book_card' and ${undeliveredPredicate}) as unshipped_book_cards,
      (select count(*) from redemptions r
        where r.campaign_id = ${campaignId} and r.option = 'emoney' and ${undeliveredPredicate}) as unfulfilled_emoney,
      (select count(*) from redemptions r
        where r.campaign_id = ${campaignId} and r.option = 'donation' and ${undeliveredPredicate}) as unbooked_donations,
      (select count(*) from redemptions r join customers c on c.id = r.customer_id
        where r.campaign_id = ${campaignId} and r.fulfilled_at is not null and c.erased_at is null
          and (r.data_choice = 'erasure' or c.erasure_requested_before)) as pending_erasures,
      (select count(*) from suppression_list s
        where s.campaign_id = ${campaignId} and s.exported_at is null and s.customer_ref is not null) as unexported_optouts`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    unshipped_book_cards: Number(row.unshipped_book_cards),
    unfulfilled_emoney: Number(row.unfulfilled_emoney),
    unbooked_donations: Number(row.unbooked_donations),
    pending_erasures: Number(row.pending_erasures),
    unexported_optouts: Number(row.unexported_optouts),
  };
}

/** Raises the alert, or refreshes the message of the one already open (one open alert per campaign and kind). */
export async function upsertOpenAlert(
  db: Db,
  alert: { campaignId: string | null; kind: string; message: string; at: Date },
): Promise<void> {
  await sql`
    insert into alerts (campaign_id, kind, message, raised_at)
    values (${alert.campaignId}, ${alert.kind}, ${alert.message}, ${alert.at})
    on conflict ((coalesce(campaign_id, 0)), kind) where resolved_at is null
    do update set message = excluded.message`.execute(db);
}

/** Resolves the open alerts of these kinds (for one campaign, when given) except those still in `keep`. */
export async function resolveAlertsExcept(
  db: Db,
  opts: { kinds: string[]; keep: { campaignId: string; kind: string }[]; at: Date; campaignId?: string },
): Promise<number> {
  const scope = opts.campaignId ? sql`and a.campaign_id = ${opts.campaignId}` : sql``;
  const result = await sql`
    update alerts a set resolved_at = ${opts.at}
     where a.resolved_at is null and a.kind = any(${opts.kinds}::text[]) ${scope}
       and (coalesce(a.campaign_id, 0), a.kind) not in (
         select k.campaign_id, k.kind
           from unnest(${opts.keep.map((k) => k.campaignId)}::bigint[], ${opts.keep.map((k) => k.kind)}::text[])
             as k(campaign_id, kind))`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface OpenAlert {
  id: string;
  campaignId: string | null;
  campaignSlug: string | null;
  kind: string;
  message: string;
  raisedAt: Date;
}

/** The operators' banner: every open alert, oldest first. */
export async function findOpenAlerts(db: Db): Promise<OpenAlert[]> {
  const rows = await db
    .selectFrom('alerts as a')
    .leftJoin('campaigns as c', 'c.id', 'a.campaign_id')
    .select(['a.id', 'a.campaign_id', 'c.slug', 'a.kind', 'a.message', 'a.raised_at'])
    .where('a.resolved_at', 'is', null)
    .orderBy('a.raised_at')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    campaignSlug: r.slug,
    kind: r.kind,
    message: r.message,
    raisedAt: r.raised_at,
  }));
}
