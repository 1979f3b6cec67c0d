import type { Campaign } from '../campaigns/campaign.service.js';
import type { Db } from '../platform/database.js';
import {
  recordRedemption,
  type NewRedemption,
  type RedemptionOrigin,
} from '../redemption/redemption-record.service.js';
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
import type { Channel } from '../redemption/redemption.table.js';

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

/** Where a keyed card's redemption comes from: its batch and the operator who keyed it. */
export const postcardOrigin = (
  campaign: Campaign,
  batch: Pick<PostcardBatchRow, 'id'>,
  keyer: Keyer,
): RedemptionOrigin => ({
  campaignId: campaign.id,
  channel: 'postcard',
  at: keyer.now,
  postcardBatchId: batch.id,
  enteredBy: keyer.staffId,
});

/** The redemption an accepted card asks for (no e-money by post; the address is the one on file). */
export const postcardRedemption = (
  campaign: Campaign,
  customerId: string,
  decision: Extract<Decision, { outcome: 'accepted' }>,
  reading: CardReading,
): NewRedemption => ({
  customerId,
  option: decision.option,
  brand: null,
  amountYen: amountOf(campaign, decision.option),
  dataChoice: decision.dataChoice,
  addressConfirmed: false,
  postmarkDate: reading.postmarkDate,
});

/** A card that lost to a standing redemption (another card or the web): a duplicate. */
export const duplicateOf = (standing: { channel: Channel; redeemed_at: Date }): Decision => ({
  outcome: 'duplicate',
  reason: duplicateReason({ channel: standing.channel, redeemedAt: standing.redeemed_at }),
});

export interface Applied {
  decision: Decision;
  customerId: string | null;
  /** The new redemption, or for a duplicate the one that stands. */
  redemptionId: string | null;
}

/**
 * Decides the card and, when it is accepted, records the redemption (recordRedemption: its
 * fulfilment intent and the opt-out with it, exactly as the web does) in the caller's transaction.
 * The unique customer constraint settles a race with another card or the web: the loser is a
 * duplicate.
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
  const recorded = await recordRedemption(
    trx,
    postcardOrigin(campaign, batch, keyer),
    postcardRedemption(campaign, customerId!, decision, reading),
  );
  if (!recorded.created)
    return { decision: duplicateOf(recorded.standing), customerId, redemptionId: recorded.standing.id };
  return { decision, customerId, redemptionId: recorded.redemptionId };
}
