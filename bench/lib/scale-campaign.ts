import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { EMONEY_SHARE_PER_BRAND } from './load-choices.js';
import type { SeededCampaign } from './redeem-seed.js';
import type { BenchDb } from './redeem-services.js';
import { loginKeyAt, registrationCodeAt, sampleIndices, type CodeKeys } from './scale-codes.js';
import { loadCustomers } from './scale-seed.js';
import { seedEmoneyCodes } from './seed.js';

/** One campaign of the scale bench: made, loaded in chunks, and given what the redeem driver needs. */

export const scaleLog = (msg: string) => console.log(`[bench:scale] ${msg}`);

export interface LoadPlan {
  slug: string;
  first: number;
  count: number;
  keys: CodeKeys;
  pepper: string;
  chunk: number;
  writers: number;
  /** Minutes; Infinity for no limit. */
  budgetMin: number;
}

export interface LoadedCampaign {
  campaignId: string;
  slug: string;
  first: number;
  loaded: number;
  seconds: number;
  emoney: { brands: string[]; amountYen: number };
}

/** Progress about every 10 seconds: how many, how fast, how long still, and this process's memory. */
function progressLine(plan: LoadPlan) {
  let last = 0;
  return (loaded: number, s: number) => {
    if (s - last < 10 && loaded < plan.count) return;
    last = s;
    const rate = loaded / s;
    const eta = (plan.count - loaded) / rate;
    const rss = Math.round(process.memoryUsage().rss / 1048576);
    scaleLog(
      `${plan.slug}: ${loaded.toLocaleString('en')} / ${plan.count.toLocaleString('en')} in ${s.toFixed(0)} s ` +
        `(${Math.round(rate)}/s, ${Number.isFinite(plan.budgetMin) ? `budget left ${Math.max(0, plan.budgetMin * 60 - s).toFixed(0)} s, ` : ''}` +
        `ETA ${eta.toFixed(0)} s); RSS ${rss} MB`,
    );
  };
}

export async function createAndLoad(pool: pg.Pool, db: BenchDb, plan: LoadPlan): Promise<LoadedCampaign> {
  const campaign = await saveCampaignDefinition(db, demoCampaignDefinition(new Date(), plan.slug));
  const { webRedeemed: _, ...r } = await loadCustomers(pool, {
    campaignId: campaign.id,
    first: plan.first,
    count: plan.count,
    keys: plan.keys,
    pepper: plan.pepper,
    erasureEvery: 0,
    webEvery: 0,
    chunk: plan.chunk,
    writers: plan.writers,
    deadline: performance.now() + plan.budgetMin * 60_000,
    progress: progressLine(plan),
  });
  scaleLog(
    `${plan.slug}: loaded ${r.loaded.toLocaleString('en')} of ${plan.count.toLocaleString('en')} customers in ${r.seconds.toFixed(1)} s (${Math.round(r.loaded / r.seconds)}/s)`,
  );
  const emoney = campaign.def.options.emoney!;
  return {
    campaignId: campaign.id,
    slug: campaign.slug,
    first: plan.first,
    ...r,
    emoney: { brands: emoney.brands.map((b) => b.key), amountYen: emoney.amountYen },
  };
}

/**
 * What the redeem driver needs of a loaded campaign, for each of `rounds` load phases: a letters file
 * of `sample` customers picked at random from the whole campaign (so that logins land all over its
 * indexes; no customer in two files), and gift codes for all their e-money choices.
 */
export async function prepareForLoad(
  pool: pg.Pool,
  c: LoadedCampaign,
  plan: { keys: CodeKeys; pepper: string; sample: number; rounds: number; root: string },
): Promise<SeededCampaign[]> {
  const per = Math.max(1, Math.min(plan.sample, Math.floor(c.loaded / plan.rounds)));
  const picked = sampleIndices(c.loaded, per * plan.rounds).map((j) => c.first + j);
  const perBrand = Math.ceil(picked.length * EMONEY_SHARE_PER_BRAND) + 100;
  await seedEmoneyCodes(pool, c.campaignId, c.emoney.brands, perBrand, c.emoney.amountYen);
  return Array.from({ length: plan.rounds }, (_, round) => {
    const credsFile = path.join(plan.root, `creds-${c.slug}-${round + 1}.tsv`);
    const lines = picked
      .slice(round * per, (round + 1) * per)
      .map((i) => `${registrationCodeAt(plan.keys, i)}\t${loginKeyAt(plan.keys, i)}`);
    writeFileSync(credsFile, lines.join('\n'), { mode: 0o600 });
    return { campaignId: c.campaignId, slug: c.slug, pepper: plan.pepper, credsFile };
  });
}
