import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PoolSource } from '../src/fulfilment/emoney/pool.source.js';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { VendorApiSource } from '../src/fulfilment/emoney/vendor-api.source.js';
import { fulfilRedemption, type EmoneySources } from '../src/fulfilment/fulfilment.service.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import {
  buildCampaign,
  buildCustomer,
  buildEmoneyPool,
  buildVendorCampaign,
  redeem,
} from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

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
const redemption = (id: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function vendorRedemptions(n: number) {
  const campaign = await buildVendorCampaign(deps);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await buildCustomer(deps, campaign);
    ids.push(await redeem(deps, campaign, c.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' }));
  }
  return { campaign, ids };
}

describe('fulfilment', () => {
  it('when a pool e-money redemption is fulfilled twice, then it is fulfilled once with its allocated code', async () => {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 2);
    const c = await buildCustomer(deps, campaign);
    const id = await redeem(deps, campaign, c.id, { option: 'emoney', brand: 'amazon', dataChoice: 'none' });
    const [before] = await codesOf(id);
    expect(await fulfilRedemption(deps, sources, id)).toBe('fulfilled');
    expect(await fulfilRedemption(deps, sources, id)).toBe('already-fulfilled');
    expect(await codesOf(id)).toEqual([before]);
  });

  it('when a donation is fulfilled concurrently, then one ledger entry exists', async () => {
    const campaign = await buildCampaign(deps);
    const c = await buildCustomer(deps, campaign);
    const id = await redeem(deps, campaign, c.id, { option: 'donation', dataChoice: 'none' });
    await Promise.all([1, 2, 3].map(() => fulfilRedemption(deps, sources, id)));
    const ledger = await deps.db
      .selectFrom('donation_ledger')
      .selectAll()
      .where('redemption_id', '=', id)
      .execute();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ amount_yen: 500, recipient: '公益財団法人 デモこども基金' });
    expect((await redemption(id)).fulfilled_at).not.toBeNull();
  });

  it('when a book card is fulfilled by the job, then it waits for its shipping batch', async () => {
    const campaign = await buildCampaign(deps);
    const c = await buildCustomer(deps, campaign);
    const id = await redeem(deps, campaign, c.id, {
      option: 'book_card',
      dataChoice: 'none',
      shipping: null,
    });
    expect(await fulfilRedemption(deps, sources, id)).toBe('awaiting-shipment');
    expect((await redemption(id)).fulfilled_at).toBeNull();
  });

  it('when the vendor issues codes, then the customer sees "issuing" first and the code once the job ran', async () => {
    const campaign = await buildVendorCampaign(deps);
    const c = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(createApp(deps), campaign.slug);
    await browser.login(c.registrationCode, c.loginKey);
    await browser.complete({ option: 'emoney', brand: 'nanaco', dataChoice: 'none' });
    const pending = await browser.my();
    expect(pending.text).toContain('ギフトコードを発行しています');
    expect(pending.text).toMatch(/<meta http-equiv="refresh"/);
    const [r] = await deps.db
      .selectFrom('redemptions')
      .select('id')
      .where('customer_id', '=', c.id)
      .execute();
    expect(await fulfilRedemption(deps, sources, r!.id)).toBe('fulfilled');
    const [code] = await codesOf(r!.id);
    expect(code!.code).toMatch(/^NAN-SBX-/);
    expect((await browser.my()).text).toContain(code!.code);
  });

  it('when the vendor times out, then the job fails, and the retry gets the same code once', async () => {
    const { ids } = await vendorRedemptions(1);
    vendor.faults.delayMs = 600;
    await expect(fulfilRedemption(deps, sources, ids[0]!)).rejects.toThrow(/vendor did not issue/);
    expect(await codesOf(ids[0]!)).toHaveLength(0);
    vendor.faults.delayMs = 0;
    expect(await fulfilRedemption(deps, sources, ids[0]!)).toBe('fulfilled');
    const codes = await codesOf(ids[0]!);
    expect(codes).toHaveLength(1);
    expect(vendor.issued.get(`owabi-redemption-${ids[0]}`)).toEqual([codes[0]!.code]);
  });

  it('when the vendor fails half the time and drops answers after issuing, then every redemption gets exactly its one code', async () => {
    const { ids } = await vendorRedemptions(30);
    vendor.faults.failRate = 0.5;
    vendor.faults.dropAfterIssueRate = 0.3;
    try {
      for (let round = 0; round < 20; round++) {
        const pending = (
          await deps.db
            .selectFrom('redemptions')
            .select('id')
            .where('id', 'in', ids)
            .where('fulfilled_at', 'is', null)
            .execute()
        ).map((r) => r.id);
        if (pending.length === 0) break;
        await Promise.all(pending.map((id) => fulfilRedemption(deps, sources, id).catch(() => 'retry')));
      }
    } finally {
      vendor.faults.failRate = 0;
      vendor.faults.dropAfterIssueRate = 0;
    }
    for (const id of ids) {
      const codes = await codesOf(id);
      expect(codes).toHaveLength(1);
      expect(vendor.issued.get(`owabi-redemption-${id}`)).toEqual([codes[0]!.code]);
      expect((await redemption(id)).fulfilled_at).not.toBeNull();
    }
  });

  it('when a buggy vendor answers twice with different codes to concurrent runs, then the redemption keeps one code', async () => {
    const { ids } = await vendorRedemptions(5);
    vendor.faults.ignoreIdempotency = true;
    try {
      await Promise.all(ids.flatMap((id) => [1, 2, 3].map(() => fulfilRedemption(deps, sources, id))));
    } finally {
      vendor.faults.ignoreIdempotency = false;
    }
    for (const id of ids) expect(await codesOf(id)).toHaveLength(1);
  });
});
