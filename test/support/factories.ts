import { randomUUID } from 'node:crypto';
import { saveCampaignDefinition, type Campaign } from '../../src/campaigns/campaign.service.js';
import type { CampaignDefinition } from '../../src/campaigns/campaign.schema.js';
import { generateLoginKey, generateRegistrationCode, keyedHash } from '../../src/customers/codes.js';
import { insertCustomer } from '../../src/customers/customer.repo.js';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import type { AppDeps } from '../../src/platform/deps.js';

export async function buildCampaign(
  deps: Pick<AppDeps, 'db'>,
  overrides: Partial<CampaignDefinition> = {},
): Promise<Campaign> {
  const slug = `t-${randomUUID().slice(0, 12)}`;
  return saveCampaignDefinition(deps.db, { ...demoCampaignDefinition(new Date(), slug), ...overrides });
}

export interface TestCustomer {
  id: string;
  registrationCode: string;
  loginKey: string;
  fullName: string;
}

export async function buildCustomer(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
  overrides: { erasureRequestedBefore?: boolean; leakedItems?: string[]; fullName?: string } = {},
): Promise<TestCustomer> {
  const registrationCode = generateRegistrationCode();
  const loginKey = generateLoginKey();
  const fullName = overrides.fullName ?? `試験 花子${randomUUID().slice(0, 6)}`;
  const pepper = deps.config.LOGIN_KEY_PEPPER;
  const id = await insertCustomer(
    deps.db,
    {
      campaign_id: campaign.id,
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
    },
  );
  return { id, registrationCode, loginKey, fullName };
}

export async function buildEmoneyPool(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  perBrand: number,
  brands = ['edy', 'amazon', 'nanaco'],
): Promise<void> {
  const { insertEmoneyCodes } = await import('../../src/pools/emoney-codes.repo.js');
  const rows = brands.flatMap((brand) =>
    Array.from({ length: perBrand }, (_, i) => ({
      campaign_id: campaign.id,
      brand,
      code: `T-${campaign.slug}-${brand}-${i}-${randomUUID().slice(0, 8)}`,
      amount_yen: 500,
    })),
  );
  if (rows.length) await insertEmoneyCodes(deps.db, rows);
}

/** A campaign whose e-money codes come from the vendor's API instead of a pool. */
export async function buildVendorCampaign(deps: Pick<AppDeps, 'db'>): Promise<Campaign> {
  const def = demoCampaignDefinition(new Date(), 'x');
  return buildCampaign(deps, {
    options: { ...def.options, emoney: { ...def.options.emoney!, source: 'vendor' } },
  });
}

/** Redeems through the same service the web uses (a redemption, its code or intent, in one transaction). */
export async function redeem(
  deps: Pick<AppDeps, 'db' | 'now'>,
  campaign: Campaign,
  customerId: string,
  choice: import('../../src/redemption/redemption.schema.js').Choice,
): Promise<string> {
  const { redeemOnWeb } = await import('../../src/redemption/redemption.service.js');
  const { redemptionId } = await deps.db
    .transaction()
    .execute((trx) => redeemOnWeb(trx, campaign, customerId, choice, deps.now()));
  return redemptionId;
}
