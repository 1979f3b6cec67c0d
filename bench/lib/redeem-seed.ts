import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { EMONEY_SHARE_PER_BRAND } from './load-choices.js';
import { redeemLog as log } from './log.js';
import type { BenchDb } from './redeem-services.js';
import { seedCustomers, seedEmoneyCodes } from './seed.js';

/** The campaign the redeem bench drives: its customers' letters and the pepper their keys are hashed with. */
export interface SeededCampaign {
  campaignId: string;
  slug: string;
  /** The service's LOGIN_KEY_PEPPER: the seeded login-key hashes were made with it. */
  pepper: string;
  /** "code<TAB>key" lines, one customer each, for the load client. */
  credsFile: string;
}

/** The bench campaign, its customers, gift codes for every e-money choice, and the baseline's table. */
export async function seedRedeemCampaign(
  pool: pg.Pool,
  db: BenchDb,
  root: string,
  customers: number,
  otherCampaigns = 0,
): Promise<SeededCampaign> {
  const pepper = randomBytes(32).toString('hex');
  const campaign = await saveCampaignDefinition(db, demoCampaignDefinition(new Date(), 'bench'));
  for (let i = 1; i <= otherCampaigns; i++) {
    const other = await saveCampaignDefinition(db, demoCampaignDefinition(new Date(), `bench-other-${i}`));
    await pool.query('select create_campaign_partitions($1)', [other.id]);
  }
  if (otherCampaigns) log(`created ${otherCampaigns} other campaigns, each with its partitions`);
  const seedStart = performance.now();
  const creds = await seedCustomers(pool, campaign.id, pepper, customers, (n) => {
    if (n % 50_000 === 0 || n === customers) log(`seeded ${n} customers`);
  });
  const emoney = campaign.def.options.emoney!;
  const perBrand = Math.ceil(customers * EMONEY_SHARE_PER_BRAND) + 100;
  const codes = await seedEmoneyCodes(
    pool,
    campaign.id,
    emoney.brands.map((b) => b.key),
    perBrand,
    emoney.amountYen,
  );
  await pool.query(
    'create table bench_baseline (id bigint generated always as identity primary key, v text not null, at timestamptz not null default now())',
  );
  await pool.query('vacuum analyze');
  log(
    `seeded ${customers} customers and ${codes} gift codes in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  const credsFile = path.join(root, 'creds.tsv');
  writeFileSync(credsFile, creds.map((c) => `${c.registrationCode}\t${c.loginKey}`).join('\n'), {
    mode: 0o600,
  });
  return { campaignId: campaign.id, slug: campaign.slug, pepper, credsFile };
}
