import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { PoolSource } from '../src/fulfilment/emoney/pool.source.js';
import { VendorApiSource } from '../src/fulfilment/emoney/vendor-api.source.js';
import { createBatchedFulfiller, microBatch } from '../src/fulfilment/fulfilment.batch.js';
import type { EmoneySources } from '../src/fulfilment/fulfilment.service.js';
import { useTestDeps } from './support/context.js';
import { buildCustomer, buildVendorCampaign, redeem } from './support/factories.js';

/** The worker's batched fulfilment: jobs in hand share reads and commits, exactly-once kept. */

const deps = useTestDeps();
let vendor: SandboxVendor;
let sources: EmoneySources;

beforeAll(async () => {
  vendor = await startSandboxVendor();
  sources = {
    pool: new PoolSource(deps.db, deps.now),
    vendor: new VendorApiSource({ baseUrl: vendor.url, timeoutMs: 300, attempts: 2, backoffMs: 10 }),
  };
});
afterAll(() => vendor.close());

const codesOf = (redemptionId: string) =>
  deps.db.selectFrom('emoney_codes').select('code').where('redemption_id', '=', redemptionId).execute();
const fulfilledAt = async (id: string) =>
  (
    await deps.db
      .selectFrom('redemptions')
      .select('fulfilled_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).fulfilled_at;

async function vendorRedemptions(n: number) {
  const campaign = await buildVendorCampaign(deps);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await buildCustomer(deps, campaign);
    ids.push(await redeem(deps, campaign, c.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' }));
  }
  return ids;
}

describe('batched fulfilment', () => {
  it('when calls arrive together, then they go out as one batch, a full batch at once, and a failed batch fails each of its calls', async () => {
    const batches: number[][] = [];
    const run = microBatch(
      async (xs: number[]) => {
        batches.push(xs);
        if (xs.includes(-1)) throw new Error('batch failed');
        return xs.map((x) => x * 2);
      },
      { max: 3, windowMs: 20 },
    );
    expect(await Promise.all([1, 2, 3, 4].map(run))).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    const results = await Promise.allSettled([run(5), run(-1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('when jobs in hand are fulfilled while the vendor fails and drops answers, then every redemption gets exactly its one code', async () => {
    const ids = await vendorRedemptions(40);
    const fulfil = createBatchedFulfiller(deps, sources);
    vendor.faults.failRate = 0.4;
    vendor.faults.dropAfterIssueRate = 0.3;
    try {
      for (let round = 0; round < 25; round++) {
        const pending = [];
        for (const id of ids) if (!(await fulfilledAt(id))) pending.push(id);
        if (pending.length === 0) break;
        // Each redemption twice at once: a job and its duplicate (a stalled job's retry).
        await Promise.all([...pending, ...pending].map((id) => fulfil(id).catch(() => 'retry')));
      }
    } finally {
      vendor.faults.failRate = 0;
      vendor.faults.dropAfterIssueRate = 0;
    }
    for (const id of ids) {
      const codes = await codesOf(id);
      expect(codes).toHaveLength(1);
      expect(vendor.issued.get(`owabi-redemption-${id}`)).toEqual([codes[0]!.code]);
      expect(await fulfilledAt(id)).not.toBeNull();
    }
  });

  it('when one gift of a batch cannot be stored, then the others are fulfilled and only that job fails', async () => {
    const ids = await vendorRedemptions(4);
    // A broken vendor hands the first two redemptions the same code: (brand, code) is unique.
    const broken: EmoneySources = {
      ...sources,
      vendor: {
        codeFor: async (r) => (ids.indexOf(r.redemptionId) < 2 ? 'EDY-DUP-0001' : `EDY-${r.redemptionId}`),
      },
    };
    const fulfil = createBatchedFulfiller(deps, broken);
    const results = await Promise.allSettled(ids.map((id) => fulfil(id)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const fulfilled = [];
    for (const id of ids) if (await fulfilledAt(id)) fulfilled.push(id);
    expect(fulfilled).toHaveLength(3);
    for (const id of ids.slice(2)) expect((await codesOf(id)).map((c) => c.code)).toEqual([`EDY-${id}`]);
  });
});
