import type { Campaign } from '../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../src/platform/deps.js';
import type { GiftOption } from '../../src/redemption/redemption.table.js';
import { buildCustomer, type TestCustomer } from './factories.js';

export interface TestRedemption {
  id: string;
  customer: TestCustomer;
}

/** A customer of the campaign and their redemption, written straight to the tables. */
async function buildRedemption(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
  option: Exclude<GiftOption, 'emoney'>,
): Promise<TestRedemption> {
  const customer = await buildCustomer(deps, campaign);
  const { id } = await deps.db
    .insertInto('redemptions')
    .values({
      customer_id: customer.id,
      campaign_id: campaign.id,
      channel: 'web',
      option,
      brand: null,
      amount_yen: 500,
      data_choice: 'none',
      address_confirmed: option === 'book_card',
      postmark_date: null,
      fulfilled_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, customer };
}

export async function buildBookCardRedemption(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
  opts: {
    /** The shipping address the customer corrected on the web. */
    shipTo?: { postalCode: string; address: string };
    /** Personal data already erased. */
    erased?: boolean;
  } = {},
): Promise<TestRedemption> {
  const r = await buildRedemption(deps, campaign, 'book_card');
  if (opts.shipTo) {
    await deps.db
      .updateTable('customer_personal')
      .set({ ship_postal_code: opts.shipTo.postalCode, ship_address: opts.shipTo.address })
      .where('customer_id', '=', r.customer.id)
      .execute();
  }
  if (opts.erased)
    await deps.db.deleteFrom('customer_personal').where('customer_id', '=', r.customer.id).execute();
  return r;
}

export async function buildDonationRedemption(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
): Promise<TestRedemption> {
  return buildRedemption(deps, campaign, 'donation');
}
