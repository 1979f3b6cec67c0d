import type { Db } from '../platform/database.js';
import { countUndeliveredGifts, type GiftCounts } from './purge-gifts.repo.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';
import { countCampaignData, type CampaignDataCounts } from './purge.repo.js';

/** The purge runs this long before the purge deadline, leaving a day to fix a failed check. */
export const PURGE_LEAD_MS = 86_400_000;

/** From when the hourly purge job takes the campaign on. */
export const purgeStartsAt = (purgeDeadlineAt: Date) => new Date(purgeDeadlineAt.getTime() - PURGE_LEAD_MS);

export interface PurgeImpact {
  startsAt: Date;
  /** Personal data the purge would delete now (all zero for a campaign not saved yet). */
  counts: CampaignDataCounts;
  undelivered: GiftCounts;
}

const NONE: CampaignDataCounts = {
  customer_personal: 0,
  login_attempts: 0,
  suppression_list_refs: 0,
  outbox: 0,
  shipping_manifests: 0,
  contact_notes: 0,
  customer_sessions: 0,
  reissue_letters: 0,
  letter_tokens: 0,
};

/** What a purge at this deadline would delete, and which gifts it would make undeliverable. */
export async function purgeImpact(
  db: Db,
  campaignId: string | undefined,
  purgeDeadlineAt: Date,
): Promise<PurgeImpact> {
  if (!campaignId) {
    return {
      startsAt: purgeStartsAt(purgeDeadlineAt),
      counts: NONE,
      undelivered: { book_card: 0, donation: 0, emoney: 0 },
    };
  }
  const [counts, undelivered] = await Promise.all([
    countCampaignData(db, campaignId),
    countUndeliveredGifts(db, campaignId),
  ]);
  return { startsAt: purgeStartsAt(purgeDeadlineAt), counts, undelivered };
}

/** The impact in words, for an operator about to confirm it. */
export function describePurgeImpact(impact: PurgeImpact, now: Date): string[] {
  const { counts, undelivered } = impact;
  const others = (
    [
      'login_attempts',
      'suppression_list_refs',
      'outbox',
      'shipping_manifests',
      'contact_notes',
      'customer_sessions',
      'reissue_letters',
    ] as const
  )
    .filter((k) => counts[k] > 0)
    .map((k) => M.countItem(M.counts[k], counts[k]));
  const gifts = (Object.keys(undelivered) as (keyof typeof undelivered)[])
    .filter((k) => undelivered[k] > 0)
    .map((k) => M.countItem(M.gifts[k], undelivered[k]));
  return [
    impact.startsAt <= now ? M.confirm.purgeSoonNow : M.confirm.purgeSoonWhen(impact.startsAt),
    M.confirm.willDelete([M.confirm.customers(counts.customer_personal), ...others]),
    gifts.length ? M.confirm.undelivered(gifts) : M.confirm.noUndelivered,
  ];
}
