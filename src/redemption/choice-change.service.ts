import type { Kysely } from 'kysely';
import { SessionEnded } from '../auth/auth.errors.js';
import { isAcceptingRedemptions, type Campaign } from '../campaigns/campaign.service.js';
import { setShippingAddress } from '../customers/customer.repo.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import { lockCampaignCut } from '../fulfilment/shipping.repo.js';
import type { Database, Db } from '../platform/database.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { fulfilJobId } from '../platform/queues.js';
import { NothingRedeemed, refusalError } from './choice-change.errors.js';
import {
  findFulfilmentProgress,
  insertChange,
  listChanges,
  lockRedemptionOfCustomer,
  updateRedemptionChoice,
} from './choice-change.repo.js';
import { decideChange, type ChangeState } from './choice-change.rules.js';
import type { ChangeChannel, RedemptionChangeRow } from './choice-change.table.js';
import { OptionUnavailable } from './redemption.errors.js';
import { findRedemptionByCustomer, lockCustomerForRedemption } from './redemption.repo.js';
import type { ShippingAddress } from './redemption.schema.js';
import type { DataChoice, GiftOption } from './redemption.table.js';

export type { ChangeChannel } from './choice-change.table.js';

/** What the customer wants changed; an absent field stays as it is. */
export interface ChoiceChangeRequest {
  option?: GiftOption;
  dataChoice?: DataChoice;
  /** A corrected shipping address for the book card (switching to it, or keeping it). */
  shipping?: ShippingAddress;
}

export interface ChoiceChangeResult {
  changeId: string;
  redemptionId: string;
  changedAt: Date;
  before: { option: GiftOption; dataChoice: DataChoice; amountYen: number };
  after: { option: GiftOption; dataChoice: DataChoice; amountYen: number };
  addressChanged: boolean;
}

export const offeredOptions = (campaign: Campaign): GiftOption[] => {
  const o = campaign.def.options;
  return [o.emoney && 'emoney', o.bookCard && 'book_card', o.donation && 'donation'].filter(
    (x): x is GiftOption => typeof x === 'string',
  );
};

function amountOf(campaign: Campaign, option: GiftOption): number {
  const o = campaign.def.options;
  const amount = {
    emoney: o.emoney?.amountYen,
    book_card: o.bookCard?.amountYen,
    donation: o.donation?.amountYen,
  }[option];
  if (!amount) throw OptionUnavailable();
  return amount;
}

/**
 * A customer's change of mind (web page or JSON API), in one transaction; a refusal throws and
 * writes nothing. Locks, in this order (the order every other writer agrees with, so no deadlock):
 * the customer (as redemption and erasure do), then — while the gift is a book card — the
 * campaign's batch-cut lock, then the redemption. A batch cut running now is waited for and its
 * lines are then seen (refused: the card is in the batch); a cut that starts later waits for this
 * change and no longer sees the card. A donation job books only a redemption that is still a
 * donation when it locks the row (fulfilment.service.ts), so a booking racing a change either
 * lands first (the change is refused) or books nothing.
 */
export async function changeChoice(
  deps: { db: Kysely<Database>; now: () => Date },
  campaign: Campaign,
  customerId: string,
  request: ChoiceChangeRequest,
  channel: ChangeChannel,
): Promise<ChoiceChangeResult> {
  return deps.db.transaction().execute(async (trx) => {
    const at = deps.now();
    const { r, state } = await lockAndRead(trx, campaign, customerId, at);
    const decision = decideChange(state, {
      option: request.option,
      dataChoice: request.dataChoice,
      addressChange: request.shipping !== undefined,
    });
    if (!decision.ok) throw refusalError(decision.refusal);

    const before = { option: r.option, dataChoice: r.data_choice, amountYen: r.amount_yen };
    const after = {
      option: decision.option,
      dataChoice: decision.dataChoice,
      amountYen: decision.optionChanged ? amountOf(campaign, decision.option) : r.amount_yen,
    };
    await updateRedemptionChoice(trx, r.id, {
      ...after,
      brand: decision.optionChanged ? null : r.brand,
      addressConfirmed: decision.option === 'book_card' ? true : r.address_confirmed,
    });
    if (request.shipping) {
      await setShippingAddress(
        trx,
        { campaignId: campaign.id, customerId },
        request.shipping.postalCode,
        request.shipping.address,
      );
    }
    const addressChanged = request.shipping !== undefined;
    const changeId = await insertChange(trx, {
      redemption_id: r.id,
      campaign_id: campaign.id,
      changed_at: at,
      channel,
      option_before: before.option,
      option_after: after.option,
      amount_yen_before: before.amountYen,
      amount_yen_after: after.amountYen,
      data_choice_before: before.dataChoice,
      data_choice_after: after.dataChoice,
      address_changed: addressChanged,
    });
    await applyConsequences(trx, { campaign, customerId, redemptionId: r.id, changeId, at }, decision);
    return { changeId, redemptionId: r.id, changedAt: at, before, after, addressChanged };
  });
}

/** Takes the locks in the order described above and reads the state the rules decide on. */
async function lockAndRead(trx: Db, campaign: Campaign, customerId: string, at: Date) {
  const customer = await lockCustomerForRedemption(trx, campaign.id, customerId);
  if (!customer || customer.campaign_id !== campaign.id) throw SessionEnded();
  // Stable from here: only a change of mind alters the option, and it holds the customer lock.
  const current = await findRedemptionByCustomer(trx, customerId);
  if (!current) throw NothingRedeemed();
  if (current.option === 'book_card') await lockCampaignCut(trx, campaign.id);
  const r = (await lockRedemptionOfCustomer(trx, customerId))!;
  const progress = await findFulfilmentProgress(trx, r.id);
  const state: ChangeState = {
    option: r.option,
    dataChoice: r.data_choice,
    open: isAcceptingRedemptions(campaign, at),
    erased: customer.erased_at !== null,
    erasureRequestedBefore: customer.erasure_requested_before,
    batchCut: progress.batchCut || (r.option === 'book_card' && r.fulfilled_at !== null),
    donationBooked: progress.donationBooked || (r.option === 'donation' && r.fulfilled_at !== null),
    offered: offeredOptions(campaign),
  };
  return { r, state };
}

/**
 * What follows from a granted change, in its transaction: an opt-out goes on the suppression list
 * (an opt-out already there stays: switching to erasure does not withdraw the request to stop
 * marketing); a new donation gets its fulfilment intent (its own job id, as the first intent of
 * this redemption may have run already). Erasure needs nothing here: the erasure job picks up every
 * fulfilled redemption whose data choice is 'erasure' when it runs, and leaves others alone.
 */
async function applyConsequences(
  trx: Db,
  c: { campaign: Campaign; customerId: string; redemptionId: string; changeId: string; at: Date },
  decision: { option: GiftOption; dataChoice: DataChoice; optionChanged: boolean; dataChanged: boolean },
): Promise<void> {
  if (decision.dataChanged && decision.dataChoice === 'marketing_optout') {
    await addToSuppressionList(trx, c.campaign.id, [c.customerId], c.at);
  }
  if (decision.optionChanged && decision.option === 'donation') {
    await addToOutbox(trx, 'fulfil', `${fulfilJobId(c.redemptionId)}-change-${c.changeId}`, {
      redemptionId: c.redemptionId,
      campaignId: c.campaign.id,
    });
  }
}

/** The redemption's recorded changes, oldest first (the status page and the API show them). */
export async function changeHistory(db: Db, redemptionId: string): Promise<RedemptionChangeRow[]> {
  return listChanges(db, redemptionId);
}
