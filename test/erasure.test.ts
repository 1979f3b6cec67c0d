import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { eraseCustomerNow, eraseDue } from '../src/erasure/erasure.service.js';
import { checkDatabase, checkRedis } from '../src/purge/purge.checks.js';
import { countSampleHits, listScannableTables } from '../src/purge/purge-scan.repo.js';
import { createApp } from '../src/app/create-app.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { createLogger } from '../src/platform/logger.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import {
  buildCampaign,
  buildCustomer,
  buildRedemption,
  givePersonalDetails,
  markFulfilled,
  personalValues,
} from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

let clock = new Date();
const dataDir = useScratchDir();
const logFile = path.join(dataDir, 'owabi.log');
const logger = createLogger('trace', pino.destination({ dest: logFile, sync: true }));
const deps = useTestDeps({ now: () => clock, logger }, { DATA_DIR: dataDir });
const redis = useRedis();
const jobDeps: JobDeps = { ...deps, redis };
const app = createApp(deps);

const personalOf = (customerId: string) =>
  deps.db
    .selectFrom('customer_personal')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
const tombstoneOf = (customerId: string) =>
  deps.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();

describe('erasure after fulfilment', () => {
  const queue = new Queue(`erasure-test-${randomUUID().slice(0, 8)}`, { connection: redis });
  afterAll(() => queue.close());

  it('when a customer who chose erasure has received the book card, then no trace of their personal data is left in the database, Redis or the log, and the tombstone keeps a receipt', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, {
      fullName: `消去 確認子${randomUUID().slice(0, 6)}`,
    });
    const details = await givePersonalDetails(deps, customer);
    const correctedAddress = `北海道訂正市住所町${randomUUID().slice(0, 8)}`;
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    const done = await browser.complete({
      option: 'book_card',
      dataChoice: 'erasure',
      addressAction: 'correct',
      postalCode: '0600001',
      address: correctedAddress,
    });
    expect(done.status).toBeLessThan(400);
    const redemption = await deps.db
      .selectFrom('redemptions')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    // The job intent goes to the queue exactly as the relay would hand it over.
    const intent = await deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('job_id', '=', `fulfil-${redemption.id}`)
      .executeTakeFirstOrThrow();
    await queue.add(intent.job_name, intent.payload, { jobId: intent.job_id });
    clock = new Date(clock.getTime() + 86_400_000);
    await markFulfilled(deps, redemption.id, clock);

    const values = [...personalValues(details), correctedAddress];
    expect((await checkDatabase(deps.db, campaign.id, values)).passed).toBe(false); // the scan does see them

    expect(await eraseDue(jobDeps, { campaignId: campaign.id })).toEqual({ erased: 1 });

    expect(await personalOf(customer.id)).toBeUndefined();
    const tombstone = await tombstoneOf(customer.id);
    expect(tombstone.erased_at).toEqual(clock);
    expect(tombstone.erasure_receipt).toMatch(/^ER-\d{8}-\d{12}$/);
    expect(tombstone.erasure_receipt).toContain(customer.id);
    const kept = await deps.db
      .selectFrom('redemptions')
      .selectAll()
      .where('id', '=', redemption.id)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      option: 'book_card',
      amount_yen: 500,
      data_choice: 'erasure',
      campaign_id: campaign.id,
    });

    const db = await checkDatabase(deps.db, campaign.id, values);
    expect(db.passed, db.detail).toBe(true);
    expect(await queue.getJob(intent.job_id)).toBeDefined();
    const inRedis = await checkRedis(redis, values);
    expect(inRedis.passed, inRedis.detail).toBe(true);
    // The purge does not search logs (they hold no personal data by design): this test does.
    const logText = readFileSync(logFile, 'utf8');
    expect(logText).toContain('erasure: personal data erased');
    for (const v of values) expect(logText).not.toContain(v);

    // The registration code is the tombstone's public identifier: it stays there and nowhere else.
    const codeHits: Record<string, number> = {};
    for (const t of await listScannableTables(deps.db)) {
      for (const [col, n] of Object.entries(
        await countSampleHits(
          deps.db,
          { ...t, columns: t.columns.map((c) => ({ ...c, samples: [customer.registrationCode] })) },
          campaign.id,
        ),
      )) {
        if (n) codeHits[`${t.table}.${col}`] = n;
      }
    }
    expect(codeHits).toEqual({ 'customers.registration_code': 1 });

    const later = new CustomerBrowser(app, campaign.slug);
    expect((await later.login(customer.registrationCode, customer.loginKey)).status).toBe(303);
    const status = await later.my();
    expect(status.status).toBe(200);
    expect(status.text).toContain(tombstone.erasure_receipt!);
    expect(status.text).toContain('消去しました');
    expect(status.text).not.toContain(correctedAddress);
  });

  it('when customers chose stop marketing or nothing, or their gift is not delivered yet, then they are not erased', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const optOut = await buildCustomer(deps, campaign);
    const none = await buildCustomer(deps, campaign);
    const unfulfilled = await buildCustomer(deps, campaign);
    const unredeemed = await buildCustomer(deps, campaign, { erasureRequestedBefore: true });
    await buildRedemption(deps, { customer: optOut, dataChoice: 'marketing_optout', fulfilledAt: clock });
    await buildRedemption(deps, { customer: none, dataChoice: 'none', fulfilledAt: clock });
    await buildRedemption(deps, { customer: unfulfilled, option: 'book_card', dataChoice: 'erasure' });

    expect(await eraseDue(jobDeps, { campaignId: campaign.id })).toEqual({ erased: 0 });
    for (const c of [optOut, none, unfulfilled, unredeemed]) {
      expect(await personalOf(c.id)).toBeDefined();
      expect((await tombstoneOf(c.id)).erased_at).toBeNull();
    }
  });

  it('when a customer had asked for erasure before the letter, then they are erased once their gift is delivered, whatever they chose', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { erasureRequestedBefore: true });
    const { id: redemptionId } = await buildRedemption(deps, {
      customer,
      option: 'book_card',
      dataChoice: 'none',
    });

    expect(await eraseDue(jobDeps, { campaignId: campaign.id })).toEqual({ erased: 0 });
    await markFulfilled(deps, redemptionId, clock);
    expect(await eraseDue(jobDeps, { campaignId: campaign.id })).toEqual({ erased: 1 });
    expect(await personalOf(customer.id)).toBeUndefined();
    expect((await tombstoneOf(customer.id)).erasure_receipt).toMatch(/^ER-/);
    expect(await eraseDue(jobDeps, { campaignId: campaign.id })).toEqual({ erased: 0 });
  });

  it('when several erasure runs overlap, then every due customer is erased exactly once and counted once', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customers = [];
    for (let i = 0; i < 120; i += 20) {
      customers.push(...(await Promise.all(Array.from({ length: 20 }, () => buildCustomer(deps, campaign)))));
    }
    await Promise.all(
      customers.map((c) => buildRedemption(deps, { customer: c, dataChoice: 'erasure', fulfilledAt: clock })),
    );

    const runs = await Promise.all(
      Array.from({ length: 4 }, () => eraseDue(jobDeps, { campaignId: campaign.id, batchSize: 7 })),
    );
    const total = runs.reduce((sum, r) => sum + r.erased, 0);
    // A run skips rows another holds; anything skipped by all is left for the next scheduled run.
    const rest = await eraseDue(jobDeps, { campaignId: campaign.id });
    expect(total + rest.erased).toBe(120);
    const rows = await deps.db
      .selectFrom('customers')
      .select(['erased_at', 'erasure_receipt'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(rows.every((r) => r.erased_at && r.erasure_receipt)).toBe(true);
    expect(new Set(rows.map((r) => r.erasure_receipt)).size).toBe(120);
    const left = await deps.db
      .selectFrom('customer_personal')
      .select('customer_id')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(left).toHaveLength(0);
  });

  it('when the contact centre erases a customer at once, then it works before fulfilment and a second request returns the same receipt', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const first = await eraseCustomerNow(jobDeps, customer.id);
    expect(await personalOf(customer.id)).toBeUndefined();
    clock = new Date(clock.getTime() + 60_000);
    const second = await eraseCustomerNow(jobDeps, customer.id);
    expect(second).toEqual(first);
    await expect(eraseCustomerNow(jobDeps, '999999999999')).rejects.toThrow(/not_found/);
  });
});
