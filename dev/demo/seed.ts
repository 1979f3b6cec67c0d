import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { importCustomers } from '../../src/imports/import.service.js';
import { findCampaignBySlug } from '../../src/campaigns/campaign.repo.js';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { stripBom } from '../../src/platform/csv.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { demoCampaignDefinition } from './demo-campaign.js';
import { writeDemoCustomersCsv } from './demo-customers.js';
import { seedDemoEmoneyCodes } from './emoney-codes.js';

export const DEMO_SLUG = 'demo';
export const DEMO_CUSTOMERS = 1000;

export function demoLettersPath(dataDir: string): string {
  return path.resolve(dataDir, 'demo-letters.csv');
}

/**
 * Seeds the demo campaign once: a restart finds it and keeps everything. Writes the letter print
 * file to <dataDir>/demo-letters.csv, the only copy of the demo login keys.
 */
export async function seedDemoOnce(deps: AppDeps, dataDir: string): Promise<{ seeded: boolean }> {
  if (await findCampaignBySlug(deps.db, DEMO_SLUG)) return { seeded: false };
  const campaign = await saveCampaignDefinition(deps.db, demoCampaignDefinition(deps.now(), DEMO_SLUG));
  await fs.mkdir(dataDir, { recursive: true });
  const csvPath = path.resolve(dataDir, 'demo-customers.csv');
  const out = createWriteStream(csvPath, { mode: 0o600 });
  await writeDemoCustomersCsv(out, DEMO_CUSTOMERS, 20141215);
  out.end();
  await finished(out);

  const letters = createWriteStream(demoLettersPath(dataDir), { mode: 0o600 });
  const report = await importCustomers(
    { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER, publicBaseUrl: deps.config.PUBLIC_BASE_URL },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: createReadStream(csvPath),
      letters,
    },
  );
  letters.end();
  await finished(letters);
  await fs.rm(csvPath, { force: true });

  const emoney = campaign.def.options.emoney;
  if (emoney) {
    await seedDemoEmoneyCodes(
      deps.db,
      campaign.id,
      emoney.brands.map((b) => b.key),
      400,
      emoney.amountYen,
    );
  }
  deps.logger.info({ imported: report.imported, badRows: report.badRows.length }, 'demo campaign seeded');
  return { seeded: true };
}

/** The first demo letter, for the start banner. */
export async function firstDemoLetter(dataDir: string): Promise<{ code: string; key: string } | undefined> {
  try {
    const text = stripBom(await fs.readFile(demoLettersPath(dataDir), 'utf8'));
    const [header, first] = text.split(/\r?\n/);
    if (!header || !first) return undefined;
    const cols = header.split(',');
    const values = first.split(',');
    const code = values[cols.indexOf('registration_code')];
    const key = values[cols.indexOf('login_key')];
    return code && key ? { code, key } : undefined;
  } catch {
    return undefined;
  }
}
