import { allocateEmoneyCode } from '../pools/emoney-codes.repo.js';
import { isAcceptingRedemptions, type Campaign } from '../campaigns/campaign.service.js';
import { setShippingAddress } from '../customers/customer.repo.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { Db } from '../platform/database.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { fulfilJobId } from '../platform/queues.js';
import { AppError } from '../platform/errors.js';
import {
  findCustomerStatusRow,
  findRedemptionByCustomer,
  insertRedemptionOnce,
  lockCustomerForRedemption,
} from './redemption.repo.js';
import type { Choice } from './redemption.schema.js';
import type { RedemptionRow } from './redemption.table.js';

export const POOL_EMPTY_MESSAGE =
  '申し訳ございません。お選びいただいた電子マネーギフトは、ただいま在庫を補充しております。お手数ですが、時間をおいて再度お手続きいただくか、別のお詫びの品をお選びください。お手続きはまだ完了しておりません。';

export const CLOSED_MESSAGE = 'お詫びの品のお手続きの受付は終了しました。';

export const ERASED_MESSAGE = 'お客様の個人情報はすでに消去されています。';

export interface CustomerStatus {
  customerId: string;
  erasureRequestedBefore: boolean;
  erasedAt: Date | null;
  erasureReceipt: string | null;
  leakedItemKeys: string[];
  personal: { fullName: string; postalCode: string; address: string; householdCount: number } | null;
  redemption: RedemptionRow | null;
  emoneyCode: string | null;
}

export async function getCustomerStatus(
  db: Db,
  campaign: Campaign,
  customerId: string,
): Promise<CustomerStatus> {
  const row = await findCustomerStatusRow(db, customerId);
  if (!row || row.campaign_id !== campaign.id) {
    throw new AppError('unauthenticated', 'もう一度ログインしてください。');
  }
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
  if (!amount)
    throw new AppError('validation', 'お選びいただいたお詫びの品は、このお手続きではご利用いただけません。');
  return amount;
}

/**
 * Records the customer's one redemption. Run inside a transaction: the redemption and its e-money
 * code commit together or not at all. A second submit (double click, second tab, retry) finds the
 * first one and returns it: `created` is then false. The customer row is locked first (FOR UPDATE),
 * the lock an erasure takes too: an erasure committed a moment earlier is seen and refuses the
 * redemption; one that comes later waits and then finds the redemption.
 */
export async function redeemOnWeb(
  trx: Db,
  campaign: Campaign,
  customerId: string,
  choice: Choice,
  now: Date,
): Promise<{ redemptionId: string; created: boolean }> {
  if (!isAcceptingRedemptions(campaign, now)) throw new AppError('campaign_closed', CLOSED_MESSAGE);
  const customer = await lockCustomerForRedemption(trx, customerId);
  if (!customer || customer.campaign_id !== campaign.id) {
    throw new AppError('unauthenticated', 'もう一度ログインしてください。');
  }
  if (customer.erased_at) throw new AppError('conflict', ERASED_MESSAGE);

  const redemptionId = await insertRedemptionOnce(trx, {
    customer_id: customerId,
    campaign_id: campaign.id,
    channel: 'web',
    option: choice.option,
    brand: choice.option === 'emoney' ? choice.brand : null,
    amount_yen: amountFor(campaign, choice),
    data_choice: customer.erasure_requested_before ? 'erasure' : choice.dataChoice,
    address_confirmed: choice.option === 'book_card',
    redeemed_at: now,
  });
  if (!redemptionId) {
    const existing = await findRedemptionByCustomer(trx, customerId);
    return { redemptionId: existing!.id, created: false };
  }
  const emoneyFromPool = choice.option === 'emoney' && campaign.def.options.emoney?.source !== 'vendor';
  if (choice.option === 'emoney' && emoneyFromPool) {
    const code = await allocateEmoneyCode(trx, campaign.id, choice.brand, redemptionId, now);
    // Throwing rolls the redemption back: nothing is written when the pool is empty.
    if (!code) throw new AppError('pool_empty', POOL_EMPTY_MESSAGE);
  }
  if (choice.option === 'book_card' && choice.shipping) {
    await setShippingAddress(trx, customerId, choice.shipping.postalCode, choice.shipping.address);
  }
  if (choice.dataChoice === 'marketing_optout' && !customer.erasure_requested_before) {
    await addToSuppressionList(trx, customerId, now);
  }
  // The intent to fulfil commits with the redemption: a relay hands it to the queue later.
  await addToOutbox(trx, 'fulfil', fulfilJobId(redemptionId), { redemptionId, campaignId: campaign.id });
  return { redemptionId, created: true };
}
