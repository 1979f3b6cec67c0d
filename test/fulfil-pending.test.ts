import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolSource } from '../src/fulfilment/emoney/pool.source.js';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { VendorApiSource } from '../src/fulfilment/emoney/vendor-api.source.js';
import { fulfilOverdue, fulfilPending, SAFETY_NET_GRACE_MS } from '../src/fulfilment/fulfilment.service.js';
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

  it('when the scheduled safety net runs, then it delivers gifts older than the grace and leaves younger ones to their queued jobs', async () => {
    const { deps } = iso;
    const sources = {
      pool: new PoolSource(deps.db, deps.now),
      vendor: new VendorApiSource({ baseUrl: vendor.url, timeoutMs: 300, attempts: 2, backoffMs: 10 }),
    };
    const campaign = await buildVendorCampaign(deps);
    const redeemFor = async () =>
      redeem(deps, campaign, (await buildCustomer(deps, campaign)).id, {
        option: 'emoney',
        brand: 'edy',
        dataChoice: 'none',
      });
    const overdue = await redeemFor();
    const fresh = await redeemFor();
    await deps.db
      .updateTable('redemptions')
      .set({ redeemed_at: new Date(deps.now().getTime() - SAFETY_NET_GRACE_MS - 60_000) })
      .where('id', '=', overdue)
      .execute();
    const requestsBefore = vendor.requests;
    expect(await fulfilOverdue(deps, sources)).toMatchObject({ fulfilled: 1, failed: 0 });
    const fulfilled = await deps.db
      .selectFrom('redemptions')
      .select(['id', 'fulfilled_at'])
      .where('id', 'in', [overdue, fresh])
      .orderBy('id')
      .execute();
    expect(fulfilled.map((r) => [r.id, r.fulfilled_at !== null])).toEqual([
      [overdue, true],
      [fresh, false],
    ]);
    // The fresh gift cost the vendor nothing: its job will ask once.
    expect(vendor.requests - requestsBefore).toBe(1);
  });
});
