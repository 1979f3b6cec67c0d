import { randomBytes, randomUUID } from 'node:crypto';
import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import { generateLoginKey, generateRegistrationCode, keyedHash } from '../../../src/customers/codes.js';
import { insertCustomer } from '../../../src/customers/customer.repo.js';
import { lostLetterDigest } from '../../../src/customers/lost-letter.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import { buildCampaign } from './campaigns.js';

export interface TestCustomer {
  id: string;
  campaignId: string;
  registrationCode: string;
  loginKey: string;
  fullName: string;
}

export interface CustomerOverrides {
  erasureRequestedBefore?: boolean;
  leakedItems?: string[];
  fullName?: string;
}

/** A customer as the import writes one (hashed key, personal row); in a new campaign unless given one. */
export async function buildCustomer(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign?: Campaign,
  overrides: CustomerOverrides = {},
): Promise<TestCustomer> {
  const campaignId = (campaign ?? (await buildCampaign(deps))).id;
  const registrationCode = generateRegistrationCode();
  const loginKey = generateLoginKey();
  const fullName = overrides.fullName ?? `試験 花子${randomUUID().slice(0, 6)}`;
  const pepper = deps.config.LOGIN_KEY_PEPPER;
  const id = await insertCustomer(
    deps.db,
    {
      campaign_id: campaignId,
      registration_code: registrationCode,
      login_key_hash: keyedHash(pepper, loginKey),
      source_ref_hash: keyedHash(pepper, `ref:${randomUUID()}`),
      leaked_items: overrides.leakedItems ?? ['name_gender_birth', 'address', 'phone'],
      erasure_requested_before: overrides.erasureRequestedBefore ?? false,
    },
    {
      full_name: fullName,
      full_name_kana: 'シケン ハナコ',
      birth_date: '1980-04-01',
      postal_code: '1000004',
      address: '東京都千代田区大手町1-1-1',
      phone: '03-1234-5678',
      email: null,
      household: [{ name: '試験 太郎', relation: '子', birthDate: '2010-05-05' }],
      person_digest: keyedHash(pepper, `person:${randomUUID()}`),
      // As the import fills it (kana name, birth date, postal code above).
      lost_letter_digest: lostLetterDigest(pepper, {
        kanaName: 'シケン ハナコ',
        birthDate: '1980-04-01',
        postalCode: '1000004',
      }),
    },
  );
  return { id, campaignId, registrationCode, loginKey, fullName };
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
 * Gives the customer personal values found nowhere else (buildCustomer uses one address and
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
