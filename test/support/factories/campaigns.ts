import { randomUUID } from 'node:crypto';
import { saveCampaignDefinition, type Campaign } from '../../../src/campaigns/campaign.service.js';
import type { CampaignDefinition } from '../../../src/campaigns/campaign.schema.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import { demoCampaignDefinition } from '../../../dev/demo/demo-campaign.js';

/** The demo campaign under a slug of its own, saved through the service the console uses. */
export async function buildCampaign(
  deps: Pick<AppDeps, 'db'>,
  overrides: Partial<CampaignDefinition> = {},
): Promise<Campaign> {
  const slug = `t-${randomUUID().slice(0, 12)}`;
  return saveCampaignDefinition(deps.db, { ...demoCampaignDefinition(new Date(), slug), ...overrides });
}

/** A campaign whose e-money codes come from the vendor's API instead of a pool. */
export async function buildVendorCampaign(deps: Pick<AppDeps, 'db'>): Promise<Campaign> {
  const def = demoCampaignDefinition(new Date(), 'x');
  return buildCampaign(deps, {
    options: { ...def.options, emoney: { ...def.options.emoney!, source: 'vendor' } },
  });
}
