import type { Campaign } from '../campaigns/campaign.service.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { Db } from '../platform/database.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { fulfilJobId } from '../platform/queues.js';
import { findRedemptionByCustomer, insertRedemptionOnce } from '../redemption/redemption.repo.js';
import { findCardHolder, type CardHolderRow } from './postcard-card.repo.js';
import {
  codeStatusOf,
  decideCard,
  duplicateReason,
  type CampaignRules,
  type CardHolderFacts,
  type CardReading,
  type Decision,
} from './postcard.rules.js';
import type { PostcardBatchRow } from './postcard.table.js';

/** Turning a reading of a card into its outcome, and an accepted card into a redemption. */

export interface Keyer {
  staffId: string;
  now: Date;
}

export const rulesOf = (c: Campaign): CampaignRules => ({
  deadlineDay: c.def.deadline,
  bookCard: c.def.options.bookCard !== null,
  donation: c.def.options.donation !== null,
});

export const amountOf = (c: Campaign, option: 'book_card' | 'donation'): number =>
  (option === 'book_card' ? c.def.options.bookCard?.amountYen : c.def.options.donation?.amountYen) ?? 0;

export function holderFacts(code: string, row: CardHolderRow | undefined): CardHolderFacts {
  if (codeStatusOf(code) === 'malformed') return { status: 'malformed' };
  if (!row) return { status: 'unknown' };
  return {
    status: 'known',
    customerId: row.customer_id,
    erasureRequestedBefore: row.erasure_requested_before,
    erased: row.erased_at !== null,
    redemption:
      row.redemption_id && row.channel && row.redeemed_at
        ? { id: row.redemption_id, channel: row.channel, redeemedAt: row.redeemed_at }
        : null,
  };
}

export const lookupHolder = (trx: Db, campaignId: string, code: string) =>
  codeStatusOf(code) === 'malformed' ? Promise.resolve(undefined) : findCardHolder(trx, campaignId, code);

export interface Applied {
  decision: Decision;
  customerId: string | null;
  /** The new redemption, or for a duplicate the one that stands. */
  redemptionId: string | null;
}

/**
 * Decides the card and, when it is accepted, records the redemption with its fulfilment intent
 * (and the opt-out) in the caller's transaction, exactly as a web redemption does. The unique
 * customer constraint settles a race with another card or the web: the loser is a duplicate.
 */
export async function applyReading(
  trx: Db,
  campaign: Campaign,
  batch: Pick<PostcardBatchRow, 'id'>,
  reading: CardReading,
  keyer: Keyer,
): Promise<Applied> {
  const row = await lookupHolder(trx, campaign.id, reading.code);
  const decision = decideCard(reading, holderFacts(reading.code, row), rulesOf(campaign));
  const customerId = row?.customer_id ?? null;
  if (decision.outcome !== 'accepted')
    return {
      decision,
      customerId,
      redemptionId: decision.outcome === 'duplicate' ? row!.redemption_id : null,
    };
  const redemptionId = await insertRedemptionOnce(trx, {
    customer_id: customerId!,
    campaign_id: campaign.id,
    channel: 'postcard',
    option: decision.option,
    brand: null,
    amount_yen: amountOf(campaign, decision.option),
    data_choice: decision.dataChoice,
    postmark_date: reading.postmarkDate,
    redeemed_at: keyer.now,
    postcard_batch_id: batch.id,
    entered_by: keyer.staffId,
  });
  if (!redemptionId) {
    const standing = (await findRedemptionByCustomer(trx, customerId!))!;
    return {
      decision: {
        outcome: 'duplicate',
        reason: duplicateReason({ channel: standing.channel, redeemedAt: standing.redeemed_at }),
      },
      customerId,
      redemptionId: standing.id,
    };
  }
  // dataChoice is already 'erasure' for a customer who had asked before: no opt-out then.
  if (decision.dataChoice === 'marketing_optout') await addToSuppressionList(trx, customerId!, keyer.now);
  await addToOutbox(trx, 'fulfil', fulfilJobId(redemptionId), { redemptionId, campaignId: campaign.id });
  return { decision, customerId, redemptionId };
}
