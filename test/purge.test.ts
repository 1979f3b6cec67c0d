import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { listOpenAlerts } from '../src/alerts/alert.service.js';
import { eraseDue } from '../src/erasure/erasure.service.js';
import { purgeCampaign, purgeDueCampaigns } from '../src/purge/purge.service.js';
import { exportSuppressionList } from '../src/erasure/suppression.service.js';
import { addToSuppressionList } from '../src/erasure/suppression.repo.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { addToOutbox } from '../src/platform/outbox/outbox.repo.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import {
  bookInLedger,
  buildBatchWithManifest,
  buildCampaign,
  buildCustomer,
  buildRedemption,
  givePersonalDetails,
  overrideAsSupervisor,
  type PersonalDetails,
  personalValues,
  recordLogin,
  type TestCustomer,
} from './support/factories.js';
import { storedKeys, storedText } from './support/stored.js';

// Dates far in the past: purgeDueCampaigns looks at every campaign, and those of other test files
// (running in parallel on the same database) must never fall due here.
let clock = new Date('2001-05-01T00:00:00Z');
const dataDir = useScratchDir();
const logDir = useScratchDir('owabi-purge-log-');
const logFile = path.join(logDir, 'app.log');
const deps = useTestDeps({ now: () => clock }, { DATA_DIR: dataDir, LOG_FILE: logFile });
const redis = useRedis();
const jobDeps: JobDeps = { ...deps, redis };
const queue = new Queue(`purge-test-${randomUUID().slice(0, 8)}`, {
  connection: redis,
  prefix: deps.config.REDIS_PREFIX,
});
afterAll(() => queue.close());

const pastCampaign = (purgeDeadline = '2001-06-01') =>
  buildCampaign(deps, { deadline: '2001-04-15', purgeDeadline });

const loginAttempt = (campaign: Campaign, customer: TestCustomer) => recordLogin(deps, campaign, customer);

/** A campaign with a customer in every state, and a copy of personal data everywhere it can be. */
async function populatedCampaign() {
  const campaign = await pastCampaign();
  const make = async (opts: { erasureRequestedBefore?: boolean } = {}) => {
    const c = await buildCustomer(deps, campaign, opts);
    return { customer: c, details: await givePersonalDetails(deps, c) };
  };
  const unredeemed = await make({ erasureRequestedBefore: true });
  const unfulfilled = await make();
  const fulfilled = await make();
  const erased = await make();
  const optedOut = await make();
  const { id: bookCard } = await buildRedemption(deps, {
    customer: unfulfilled.customer,
    option: 'book_card',
  });
  const fulfilledAt = new Date('2001-04-20T00:00:00Z');
  await buildRedemption(deps, { customer: fulfilled.customer, option: 'emoney', fulfilledAt });
  for (const [who, dataChoice] of [
    [erased, 'erasure'],
    [optedOut, 'marketing_optout'],
  ] as const) {
    const { id: donation } = await buildRedemption(deps, { customer: who.customer, dataChoice, fulfilledAt });
    await bookInLedger(deps, campaign, donation, fulfilledAt);
  }
  await eraseDue(jobDeps, { campaignId: campaign.id });
  await addToSuppressionList(deps.db, campaign.id, [optedOut.customer.id], fulfilledAt);
  const exported = await exportSuppressionList(deps, { campaignId: campaign.id });
  expect(exported.file).toBeDefined();
  for (const { customer } of [unredeemed, unfulfilled, fulfilled, optedOut])
    await loginAttempt(campaign, customer);

  // A cut batch whose manifest (names and addresses for the vendor) is still in the object store.
  const { manifest } = await buildBatchWithManifest(deps, campaign, {
    cutAt: clock,
    contents: `1,${unfulfilled.details.fullName},${unfulfilled.details.shipAddress}\n`,
  });

  await addToOutbox(deps.db, 'fulfil', `fulfil-${bookCard}`, {
    redemptionId: bookCard,
    campaignId: campaign.id,
  });
  await queue.add(
    'fulfil',
    { redemptionId: bookCard, campaignId: campaign.id },
    { jobId: `fulfil-${bookCard}` },
  );
  writeFileSync(logFile, `{"level":30,"msg":"cut batch","campaign":"${campaign.slug}"}\n`, { flag: 'a' });

  const details: PersonalDetails[] = [unredeemed, unfulfilled, fulfilled, erased, optedOut].map(
    (x) => x.details,
  );
  return { campaign, details, manifest, exportFile: exported.file!, bookCard };
}

describe('purging a campaign', () => {
  it('when a campaign with customers in every state is purged (its unshipped book card overridden by a supervisor), then all its personal data is gone, the checks pass, the report holds no personal data and other campaigns are untouched', async () => {
    clock = new Date('2001-05-01T00:00:00Z');
    const other = await pastCampaign('2001-09-01');
    const otherCustomer = await buildCustomer(deps, other);
    await loginAttempt(other, otherCustomer);
    await queue.add('fulfil', { redemptionId: '1', campaignId: other.id }, { jobId: `other-${other.id}` });
    const { campaign, details, manifest, exportFile, bookCard } = await populatedCampaign();
    const override = await overrideAsSupervisor(deps, campaign);

    clock = new Date('2001-05-31T16:00:00Z');
    const report = await purgeCampaign(jobDeps, campaign.id);

    // Logs are not searched (they hold no personal data): the only check with nothing to examine.
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual(['logs']);
    expect(report.passed).toBe(true);
    expect(report.outcome).toBe('passed');
    expect(report.text.result).toBe('対象となる確認にすべて合格（対象なし 1 件）');
    expect(report.undelivered).toMatchObject({
      fate: 'destroyed_with_override',
      total: 1,
      gifts: [{ redemptionId: bookCard, kind: 'book_card' }],
    });
    expect(report.override).toMatchObject({ id: override.id, staffId: override.staff.id, covers: 1 });
    expect(report).toMatchObject({
      campaign: campaign.slug,
      startedAt: clock.toISOString(),
      sampledValues: expect.any(Number),
      countsBefore: {
        customer_personal: 4,
        login_attempts: 4,
        suppression_list_refs: 1,
        outbox: 1,
        shipping_manifests: 1,
        manifest_files: 1,
        suppression_files: 1,
        redis_jobs: 1,
      },
    });
    expect(Object.values(report.countsAfter).every((n) => n === 0)).toBe(true);
    expect(report.sampledValues).toBeGreaterThanOrEqual(4 * 7);
    expect(report.checks.map((c) => c.id)).toEqual([
      'personal_rows',
      'counts',
      'database',
      'redis',
      'storage',
      'logs',
    ]);
    expect(await deps.store.exists(manifest)).toBe(false);
    expect(await deps.store.exists(exportFile)).toBe(false);
    expect(await storedKeys(deps.store, `campaigns/${campaign.id}/`)).toEqual([]);

    const row = await deps.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'purged', purged_at: clock });
    const stored = await deps.db
      .selectFrom('purge_reports')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(stored).toHaveLength(1);
    const fileText = await storedText(deps.store, report.file!);
    expect(path.dirname(report.file!)).toBe('purge-reports');
    const everyValue = details.flatMap(personalValues);
    for (const text of [fileText, JSON.stringify(stored[0]!.report)]) {
      for (const v of everyValue) expect(text).not.toContain(v);
    }

    // Tombstones and accounting stay.
    const tombstones = await deps.db
      .selectFrom('customers')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(tombstones).toHaveLength(5);
    const redemptions = await deps.db
      .selectFrom('redemptions')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(redemptions).toHaveLength(4);

    // The other campaign keeps everything.
    expect(
      await deps.db
        .selectFrom('customer_personal')
        .select('customer_id')
        .where('campaign_id', '=', other.id)
        .execute(),
    ).toHaveLength(1);
    expect(
      await deps.db.selectFrom('login_attempts').select('id').where('campaign_id', '=', other.id).execute(),
    ).toHaveLength(1);
    expect(await queue.getJob(`other-${other.id}`)).toBeDefined();

    const again = await purgeCampaign(jobDeps, campaign.id);
    expect(again.passed).toBe(true);
    expect(again.undelivered?.fate).toBe('already_purged');
    expect(again.sampledValues).toBe(0);
    expect(Object.values(again.countsBefore).every((n) => n === 0)).toBe(true);
    expect(again.file).not.toBe(report.file);
  });

  it('when a personal value is left in a Redis key, then the Redis check fails, the campaign is not marked purged and an alert stays open until a purge passes', async () => {
    clock = new Date('2001-05-01T00:00:00Z');
    const campaign = await pastCampaign();
    const customer = await buildCustomer(deps, campaign);
    const details = await givePersonalDetails(deps, customer);
    const key = `purge-test:${randomUUID()}:cache`;
    await redis.hset(key, 'shipTo', `{"to":"${details.address}"}`);

    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => c.status === 'failed');
    expect(failed.map((c) => c.id)).toEqual(['redis']);
    expect(failed[0]!.status).toBe('failed');
    expect(failed[0]!.detail).toContain('値が見つかったキー: 1 件');
    expect(failed[0]!.detail).not.toContain(details.address);
    const row = await deps.db
      .selectFrom('campaigns')
      .select('state')
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(row.state).not.toBe('purged');
    const alerts = (await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id);
    expect(alerts.map((a) => a.kind)).toEqual(['purge_failed']);

    // The personal rows are already gone, so a re-run cannot sample the value any more: it passes.
    await redis.del(key);
    const retry = await purgeCampaign(jobDeps, campaign.id);
    expect(retry.passed).toBe(true);
    expect((await listOpenAlerts(deps.db)).filter((a) => a.campaignId === campaign.id)).toEqual([]);
  });

  it('when logs are written (stdout and LOG_FILE), then the log check searches no file: it says where they go and which tests prove they hold no personal data', async () => {
    clock = new Date('2001-05-01T00:00:00Z');
    const campaign = await pastCampaign();
    await buildCustomer(deps, campaign);
    const report = await purgeCampaign(jobDeps, campaign.id);
    const logs = report.checks.find((c) => c.id === 'logs')!;
    expect(logs).toMatchObject({ status: 'not_applicable', passed: false });
    expect(logs.detail).toContain(logFile);
    expect(logs.detail).toContain('logging-canary.test.ts');
    expect(report.outcome).toBe('passed');
  });

  it('when the purge deadline is less than a day away, then purgeDueCampaigns purges the campaign, and leaves one whose deadline is further off', async () => {
    clock = new Date('2001-05-01T00:00:00Z');
    const due = await pastCampaign('2001-06-01');
    const notYet = await pastCampaign('2001-06-03');
    await buildCustomer(deps, due);
    await buildCustomer(deps, notYet);
    clock = new Date('2001-05-31T15:00:00Z'); // 2001-06-01 00:00 JST: the deadline is that day's end

    const reports = await purgeDueCampaigns(jobDeps);
    expect(reports.map((r) => r.campaign)).toContain(due.slug);
    expect(reports.map((r) => r.campaign)).not.toContain(notYet.slug);
    const left = await deps.db
      .selectFrom('customer_personal')
      .select('campaign_id')
      .where('campaign_id', 'in', [due.id, notYet.id])
      .execute();
    expect(left.map((r) => r.campaign_id)).toEqual([notYet.id]);
  });
});
