import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import type { Campaign } from '../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../src/platform/deps.js';
import type { GiftOption, DataChoice } from '../../src/redemption/redemption.table.js';
import type { TestCustomer } from './factories.js';

/** Test data for erasure, purge and deadlines: redemptions in any state, inserted directly. */

export function useTempDir(prefix = 'owabi-erasure-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function useRedis(): Redis {
  const redis = new Redis(inject('redisUrl'));
  afterAll(() => redis.quit().then(() => undefined));
  return redis;
}

export interface RedemptionOverrides {
  option?: GiftOption;
  dataChoice?: DataChoice;
  /** When set, the gift has been delivered at this time. */
  fulfilledAt?: Date | null;
  redeemedAt?: Date;
}

export async function buildRedemption(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  customer: Pick<TestCustomer, 'id'>,
  o: RedemptionOverrides = {},
): Promise<string> {
  const option = o.option ?? 'donation';
  const row = await deps.db
    .insertInto('redemptions')
    .values({
      customer_id: customer.id,
      campaign_id: campaign.id,
      channel: 'web',
      option,
      brand: option === 'emoney' ? 'edy' : null,
      amount_yen: 500,
      data_choice: o.dataChoice ?? 'none',
      address_confirmed: option === 'book_card',
      redeemed_at: o.redeemedAt ?? new Date(),
      fulfilled_at: o.fulfilledAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function markFulfilled(
  deps: Pick<AppDeps, 'db'>,
  redemptionId: string,
  at: Date,
): Promise<void> {
  await deps.db.updateTable('redemptions').set({ fulfilled_at: at }).where('id', '=', redemptionId).execute();
}

export interface PersonalDetails {
  fullName: string;
  address: string;
  shipAddress: string;
  phone: string;
  email: string;
  customerRef: string;
  householdName: string;
}

/**
 * Gives the customer personal values found nowhere else (the shared factory uses one address and
 * phone for everyone), so a search for them means this customer and nobody else.
 */
export async function givePersonalDetails(
  deps: Pick<AppDeps, 'db'>,
  customer: TestCustomer,
): Promise<PersonalDetails> {
  const u = randomUUID().replace(/-/g, '').slice(0, 10);
  const d: PersonalDetails = {
    fullName: customer.fullName,
    address: `東京都消去区確認町${u}`,
    shipAddress: `大阪府発送市配達町${u}`,
    phone: `090-${u.slice(0, 4)}-${u.slice(4, 8)}`,
    email: `erase-${u}@example.jp`,
    customerRef: `CR${u}`,
    householdName: `家族 ${u}`,
  };
  await deps.db
    .updateTable('customer_personal')
    .set({
      address: d.address,
      ship_address: d.shipAddress,
      phone: d.phone,
      email: d.email,
      customer_ref: d.customerRef,
      household: JSON.stringify([
        { name: d.householdName, relation: '子', birthDate: '2010-05-05' },
      ]) as never,
    })
    .where('customer_id', '=', customer.id)
    .execute();
  return d;
}

export const personalValues = (d: PersonalDetails) => [
  d.fullName,
  d.address,
  d.shipAddress,
  d.phone,
  d.email,
  d.customerRef,
  d.householdName,
];

/** A successful login of the customer, as the login throttle records it (digests only). */
export async function recordLogin(deps: Pick<AppDeps, 'db'>, campaign: Campaign, customer: TestCustomer) {
  await deps.db
    .insertInto('login_attempts')
    .values({
      campaign_id: campaign.id,
      customer_id: customer.id,
      code_digest: randomBytes(32),
      client_digest: randomBytes(32),
      outcome: 'success',
    })
    .execute();
}
