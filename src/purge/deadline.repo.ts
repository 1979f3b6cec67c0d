import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { unbookedDonationCount, undeliveredPredicate } from './purge-gifts.repo.js';

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
      ${unbookedDonationCount(campaignId)} as unbooked_donations,
      (select count(*) from redemptions r join customers c on c.campaign_id = r.campaign_id and c.id = r.customer_id
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
