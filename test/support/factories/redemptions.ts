import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import type { Choice } from '../../../src/redemption/redemption.schema.js';
import type { Channel, DataChoice, GiftOption } from '../../../src/redemption/redemption.table.js';
import { buildCustomer, type TestCustomer } from './customers.js';

export interface TestRedemption {
  id: string;
  customer: TestCustomer;
}

export interface RedemptionOverrides {
  /** Whose redemption: else a new customer of `campaign`, else of a new campaign. */
  customer?: TestCustomer;
  campaign?: Campaign;
  option?: GiftOption;
  dataChoice?: DataChoice;
  channel?: Channel;
  /** When set, the gift has been delivered at this time. */
  fulfilledAt?: Date | null;
  redeemedAt?: Date;
  /** Book cards: the shipping address the customer corrected on the web. */
  shipTo?: { postalCode: string; address: string };
  /** The customer's personal data already erased. */
  erased?: boolean;
}

/**
 * A redemption in any state, written straight to the table (no code allocated, no job queued):
 * for tests that need a gift at a given stage. `redeem` goes through the service instead.
 */
export async function buildRedemption(
  deps: Pick<AppDeps, 'db' | 'config'>,
  o: RedemptionOverrides = {},
): Promise<TestRedemption> {
  const customer = o.customer ?? (await buildCustomer(deps, o.campaign));
  const option = o.option ?? 'donation';
  const { id } = await deps.db
    .insertInto('redemptions')
    .values({
      customer_id: customer.id,
      campaign_id: customer.campaignId,
      channel: o.channel ?? 'web',
      option,
      brand: option === 'emoney' ? 'edy' : null,
      amount_yen: 500,
      data_choice: o.dataChoice ?? 'none',
      address_confirmed: option === 'book_card',
      postmark_date: null,
      redeemed_at: o.redeemedAt ?? new Date(),
      fulfilled_at: o.fulfilledAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (o.shipTo) {
    await deps.db
      .updateTable('customer_personal')
      .set({ ship_postal_code: o.shipTo.postalCode, ship_address: o.shipTo.address })
      .where('customer_id', '=', customer.id)
      .execute();
  }
  if (o.erased)
    await deps.db.deleteFrom('customer_personal').where('customer_id', '=', customer.id).execute();
  return { id, customer };
}

/** A book card not shipped yet, of a new customer of the campaign. */
export const buildBookCardRedemption = (
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
  o: Pick<RedemptionOverrides, 'shipTo' | 'erased'> = {},
) => buildRedemption(deps, { campaign, option: 'book_card', ...o });

/** A donation not booked yet, of a new customer of the campaign. */
export const buildDonationRedemption = (deps: Pick<AppDeps, 'db' | 'config'>, campaign: Campaign) =>
  buildRedemption(deps, { campaign, option: 'donation' });

export async function markFulfilled(
  deps: Pick<AppDeps, 'db'>,
  redemptionId: string,
  at: Date,
): Promise<void> {
  await deps.db.updateTable('redemptions').set({ fulfilled_at: at }).where('id', '=', redemptionId).execute();
}

/** Redeems through the same service the web uses (a redemption, its code or intent, in one transaction). */
export async function redeem(
  deps: Pick<AppDeps, 'db' | 'now'>,
  campaign: Campaign,
  customerId: string,
  choice: Choice,
): Promise<string> {
  const { redeemOnWeb } = await import('../../../src/redemption/redemption.service.js');
  const { redemptionId } = await deps.db
    .transaction()
    .execute((trx) => redeemOnWeb(trx, campaign, customerId, choice, deps.now()));
  return redemptionId;
}
