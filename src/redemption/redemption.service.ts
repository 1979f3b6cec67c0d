import { isAcceptingRedemptions, type Campaign } from '../campaigns/campaign.service.js';
import { findCustomer, findPersonal, setShippingAddress } from '../customers/customer.repo.js';
import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { Db } from '../platform/database.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { fulfilJobId } from '../platform/queues.js';
import { AppError } from '../platform/errors.js';
import {
  allocateEmoneyCode,
  findEmoneyCode,
  findRedemptionByCustomer,
  insertRedemptionOnce,
} from './redemption.repo.js';
import type { Choice } from './redemption.schema.js';
import type { RedemptionRow } from './redemption.table.js';

export const POOL_EMPTY_MESSAGE =
  '申し訳ございません。お選びいただいた電子マネーギフトは、ただいま在庫を補充しております。お手数ですが、時間をおいて再度お手続きいただくか、別のお詫びの品をお選びください。お手続きはまだ完了しておりません。';

export const CLOSED_MESSAGE = 'お詫びの品のお手続きの受付は終了しました。';

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
  const [customer, personal, redemption] = await Promise.all([
    findCustomer(db, customerId),
    findPersonal(db, customerId),
    findRedemptionByCustomer(db, customerId),
  ]);
  if (!customer || customer.campaign_id !== campaign.id) {
    throw new AppError('unauthenticated', 'もう一度ログインしてください。');
  }
  const emoneyCode = redemption?.option === 'emoney' ? await findEmoneyCode(db, redemption.id) : undefined;
  return {
    customerId,
    erasureRequestedBefore: customer.erasure_requested_before,
    erasedAt: customer.erased_at,
    erasureReceipt: customer.erasure_receipt,
    leakedItemKeys: customer.leaked_items,
    personal: personal
      ? {
          fullName: personal.full_name,
          postalCode: personal.ship_postal_code ?? personal.postal_code,
          address: personal.ship_address ?? personal.address,
          householdCount: personal.household.length,
        }
      : null,
    redemption: redemption ?? null,
    emoneyCode: emoneyCode ?? null,
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
 * first one and returns it: `created` is then false.
 */
export async function redeemOnWeb(
  trx: Db,
  campaign: Campaign,
  customerId: string,
  choice: Choice,
  now: Date,
): Promise<{ redemptionId: string; created: boolean }> {
  if (!isAcceptingRedemptions(campaign, now)) throw new AppError('campaign_closed', CLOSED_MESSAGE);
  const customer = await findCustomer(trx, customerId);
  if (!customer || customer.campaign_id !== campaign.id) {
    throw new AppError('unauthenticated', 'もう一度ログインしてください。');
  }
  if (customer.erased_at) throw new AppError('conflict', 'お客様の個人情報はすでに消去されています。');

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
