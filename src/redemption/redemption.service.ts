import type { Kysely } from 'kysely';
import { SessionEnded } from '../auth/auth.errors.js';
import type { CustomerSession } from '../auth/session.js';
import { sessionKey } from '../auth/session.service.js';
import { isAcceptingRedemptions, type Campaign } from '../campaigns/campaign.service.js';
import { setShippingAddress } from '../customers/customer.repo.js';
import type { Database, Db } from '../platform/database.js';
import { allocateEmoneyCode } from '../pools/emoney-codes.repo.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import { AlreadyErased, CampaignClosed, OptionUnavailable, PoolEmpty } from './redemption.errors.js';
import {
  findCustomerStatusRow,
  findRedemptionsByCustomers,
  insertWebRedemption,
  type CustomerStatusRow,
} from './redemption.repo.js';
import type { Choice } from './redemption.schema.js';
import type { RedemptionRow } from './redemption.table.js';

export interface CustomerStatus {
  customerId: string;
  erasureRequestedBefore: boolean;
  erasedAt: Date | null;
  erasureReceipt: string | null;
  leakedItemKeys: string[];
  personal: { fullName: string; postalCode: string; address: string; householdCount: number } | null;
  redemption: RedemptionRow | null;
  emoneyCode: string | null;
  /** Where fulfilment stands (what locks a change of mind) and when the choice last changed. */
  progress: { batchCut: boolean; donationBooked: boolean; lastChangedAt: Date | null };
}

export async function getCustomerStatus(
  db: Db,
  campaign: Campaign,
  customerId: string,
): Promise<CustomerStatus> {
  const row = await findCustomerStatusRow(db, campaign.id, customerId);
  if (!row || row.campaign_id !== campaign.id) throw SessionEnded();
  return statusOf(customerId, row);
}

/**
 * The status of the session's customer, read with the check that the session still lives (one
 * statement for the page): undefined when it ended (logout, a new key, erasure, expiry).
 */
export async function getStatusIfSessionLive(
  db: Db,
  campaign: Campaign,
  session: CustomerSession,
  now: Date,
): Promise<CustomerStatus | undefined> {
  const row = await findCustomerStatusRow(db, campaign.id, session.customerId, {
    key: sessionKey(session),
    now,
  });
  if (!row?.session_live) return undefined;
  if (row.campaign_id !== campaign.id) throw SessionEnded();
  return statusOf(session.customerId, row);
}

function statusOf(customerId: string, row: CustomerStatusRow): CustomerStatus {
  const redemption: RedemptionRow | null =
    row.r_id === null
      ? null
      : {
          id: row.r_id,
          customer_id: customerId,
          campaign_id: row.r_campaign_id!,
          channel: row.r_channel!,
          option: row.r_option!,
          brand: row.r_brand,
          amount_yen: row.r_amount_yen!,
          data_choice: row.r_data_choice!,
          address_confirmed: row.r_address_confirmed!,
          postmark_date: row.r_postmark_date,
          redeemed_at: row.r_redeemed_at!,
          fulfilled_at: row.r_fulfilled_at,
          postcard_batch_id: row.r_postcard_batch_id,
          entered_by: row.r_entered_by,
        };
  return {
    customerId,
    erasureRequestedBefore: row.erasure_requested_before,
    erasedAt: row.erased_at,
    erasureReceipt: row.erasure_receipt,
    leakedItemKeys: row.leaked_items,
    personal:
      row.full_name !== null
        ? {
            fullName: row.full_name,
            postalCode: row.ship_postal_code ?? row.postal_code!,
            address: row.ship_address ?? row.address!,
            householdCount: row.household_count ?? 0,
          }
        : null,
    redemption,
    emoneyCode: row.emoney_code,
    progress: {
      batchCut: row.batch_cut,
      donationBooked: row.donation_booked,
      lastChangedAt: row.last_changed_at,
    },
  };
}

function amountFor(campaign: Campaign, choice: Choice): number {
  const o = campaign.def.options;
  const amount =
    choice.option === 'emoney'
      ? o.emoney?.amountYen
      : choice.option === 'book_card'
        ? o.bookCard?.amountYen
        : o.donation?.amountYen;
  if (!amount) throw OptionUnavailable();
  return amount;
}

/**
 * Records the customer's one redemption. Run inside a transaction: the redemption and its e-money
 * code commit together or not at all. A second submit (double click, second tab, retry) finds the
 * first one and returns it: `created` is then false. The customer row is locked first (FOR UPDATE),
 * the lock an erasure takes too: an erasure committed a moment earlier is seen and refuses the
 * redemption; one that comes later waits and then finds the redemption. At most three statements:
 * the lock, the redemption and its fulfilment intent in one (insertWebRedemption); an opt-out's
 * suppression entry; the e-money code or the shipping address.
 */
export async function redeemOnWeb(
  trx: Db,
  campaign: Campaign,
  customerId: string,
  choice: Choice,
  now: Date,
): Promise<{ redemptionId: string; created: boolean }> {
  if (!isAcceptingRedemptions(campaign, now)) throw CampaignClosed();
  const recorded = await insertWebRedemption(
    trx,
    { campaignId: campaign.id, channel: 'web', at: now, postcardBatchId: null, enteredBy: null },
    {
      customerId,
      option: choice.option,
      brand: choice.option === 'emoney' ? choice.brand : null,
      amountYen: amountFor(campaign, choice),
      dataChoice: choice.dataChoice,
      addressConfirmed: choice.option === 'book_card',
      postmarkDate: null,
    },
  );
  if (!recorded || recorded.campaign_id !== campaign.id) throw SessionEnded();
  if (recorded.erased_at) throw AlreadyErased();
  const redemptionId = recorded.redemption_id;
  if (!redemptionId) {
    const [standing] = await findRedemptionsByCustomers(trx, [customerId]);
    return { redemptionId: standing!.id, created: false };
  }
  if (recorded.data_choice === 'marketing_optout')
    await addToSuppressionList(trx, campaign.id, [customerId], now);
  if (choice.option === 'emoney' && campaign.def.options.emoney?.source !== 'vendor') {
    const code = await allocateEmoneyCode(trx, campaign.id, choice.brand, redemptionId, now);
    // Throwing rolls the redemption (and its intent) back: nothing is written when the pool is empty.
    if (!code) throw PoolEmpty();
  }
  if (choice.option === 'book_card' && choice.shipping) {
    await setShippingAddress(
      trx,
      { campaignId: campaign.id, customerId },
      choice.shipping.postalCode,
      choice.shipping.address,
    );
  }
  return { redemptionId, created: true };
}

/** The customer's submit of the confirmed choice, in a transaction of its own (see redeemOnWeb). */
export async function completeRedemption(
  db: Kysely<Database>,
  campaign: Campaign,
  customerId: string,
  choice: Choice,
  now: Date,
): Promise<{ redemptionId: string; created: boolean }> {
  return db.transaction().execute((trx) => redeemOnWeb(trx, campaign, customerId, choice, now));
}
