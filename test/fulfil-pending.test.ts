import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolSource } from '../src/fulfilment/emoney/pool.source.js';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { VendorApiSource } from '../src/fulfilment/emoney/vendor-api.source.js';
import { fulfilPending } from '../src/fulfilment/fulfilment.service.js';
import { buildCustomer, buildVendorCampaign, redeem } from './support/factories.js';
import { useIsolatedServices } from './support/isolated.js';

// A database of its own: the safety net delivers every pending gift it finds, other files' too.
const iso = useIsolatedServices();
let vendor: SandboxVendor;
beforeAll(async () => {
  vendor = await startSandboxVendor();
});
afterAll(() => vendor.close());

describe('the fulfilment safety net', () => {
  it('when fulfilPending runs, then every pending gift of every kind it can deliver is delivered', async () => {
    const { deps } = iso;
    const sources = {
      pool: new PoolSource(deps.db, deps.now),
      vendor: new VendorApiSource({ baseUrl: vendor.url, timeoutMs: 300, attempts: 2, backoffMs: 10 }),
    };
    const campaign = await buildVendorCampaign(deps);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await buildCustomer(deps, campaign);
      ids.push(await redeem(deps, campaign, c.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' }));
    }
    const counts = await fulfilPending(deps, sources, 4);
    expect(counts).toMatchObject({ fulfilled: 5, failed: 0 });
    const pending = await deps.db
      .selectFrom('redemptions')
      .select('id')
      .where('fulfilled_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
  });
});
