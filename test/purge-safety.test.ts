import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { listOpenAlerts } from '../src/alerts/alert.service.js';
import { recordPurgeOverride } from '../src/purge/purge-override.service.js';
import { PURGE_MESSAGES } from '../src/purge/purge.messages.js';
import { purgeCampaign } from '../src/purge/purge.service.js';
import { isAppError } from '../src/platform/errors.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { addToOutbox } from '../src/platform/outbox/outbox.repo.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import {
  buildBatchWithManifest,
  buildCampaign,
  buildCustomer,
  buildRedemption,
  giftsOfEveryKind,
  overrideAsSupervisor,
  recordLogin,
  type TestCustomer,
} from './support/factories.js';
import { storedText } from './support/stored.js';
import { buildStaff } from './support/ops.js';

// 2002: never due for purgeDueCampaigns in purge.test.ts (2001), and purged here by id only.
let clock = new Date('2002-05-01T00:00:00Z');
const dataDir = useScratchDir();
const deps = useTestDeps({ now: () => clock }, { DATA_DIR: dataDir });
const redis = useRedis();
const jobDeps: JobDeps = { ...deps, redis };
const queue = new Queue(`purge-safety-${randomUUID().slice(0, 8)}`, {
  connection: redis,
  prefix: deps.config.REDIS_PREFIX,
});
afterAll(() => queue.close());

const newCampaign = () => buildCampaign(deps, { deadline: '2002-04-15', purgeDeadline: '2002-06-01' });
const personalRows = async (c: Campaign) =>
  (
    await deps.db
      .selectFrom('customer_personal')
      .select('customer_id')
      .where('campaign_id', '=', c.id)
      .execute()
  ).length;
const stateOf = async (c: Campaign) =>
  (await deps.db.selectFrom('campaigns').select('state').where('id', '=', c.id).executeTakeFirstOrThrow())
    .state;
const openAlerts = async (c: Campaign) =>
  (await listOpenAlerts(deps.db)).filter((a) => a.campaignId === c.id);
const overrides = async (c: Campaign) =>
  (
    await sql<{ n: string }>`select count(*) as n from purge_overrides where campaign_id = ${c.id}`.execute(
      deps.db,
    )
  ).rows[0]!.n;

/** Personal data outside customer_personal too: a login, a job intent, a queued job, a manifest file. */
async function copiesElsewhere(campaign: Campaign, customer: TestCustomer, redemptionId: string) {
  await recordLogin(deps, campaign, customer);
  const payload = { redemptionId, campaignId: campaign.id };
  await addToOutbox(deps.db, 'fulfil', `fulfil-${redemptionId}`, payload);
  await queue.add('fulfil', payload, { jobId: `fulfil-${redemptionId}` });
  const { manifest } = await buildBatchWithManifest(deps, campaign, {
    cutAt: clock,
    contents: `1,${customer.fullName},東京都千代田区大手町1-1-1\n`,
  });
  return { manifest, jobId: `fulfil-${redemptionId}` };
}

describe('the purge guard for undelivered gifts', () => {
  it('when gifts are undelivered and no override exists, then the purge deletes nothing, keeps one alert open and writes a refusal listing every undelivered gift by redemption number only', async () => {
    clock = new Date('2002-05-01T00:00:00Z');
    const campaign = await newCampaign();
    const gifts = await giftsOfEveryKind(deps, campaign, clock);
    const { manifest, jobId } = await copiesElsewhere(campaign, gifts.customers[0]!, gifts.undelivered[0]!);

    clock = new Date('2002-05-31T16:00:00Z');
    const report = await purgeCampaign(jobDeps, campaign.id);

    expect(report.outcome).toBe('refused');
    expect(report.passed).toBe(false);
    expect(report.text.result).toBe('消去を拒否（未配送のお詫びの品 3 件）');
    expect(report.text.summary.join('')).toContain('まだお届けしていないお詫びの品が 3 件あるため');
    expect(report.checks).toEqual([]);
    expect(report.undelivered).toMatchObject({
      fate: 'kept_refused',
      total: 3,
      uncovered: gifts.undelivered,
    });
    expect(report.undelivered!.byKind).toEqual({ book_card: 1, donation: 1, emoney: 1 });
    expect(report.undelivered!.gifts.map((g) => [g.redemptionId, g.kind])).toEqual([
      [gifts.undelivered[0], 'book_card'],
      [gifts.undelivered[1], 'donation'],
      [gifts.undelivered[2], 'emoney'],
    ]);
    // Nothing deleted, anywhere.
    expect(report.countsAfter).toEqual(report.countsBefore);
    expect(report.countsBefore).toMatchObject({
      customer_personal: 6,
      login_attempts: 1,
      outbox: 1,
      redis_jobs: 1,
    });
    expect(await personalRows(campaign)).toBe(6);
    expect(await deps.store.exists(manifest)).toBe(true);
    expect(await queue.getJob(jobId)).toBeDefined();
    expect(await stateOf(campaign)).not.toBe('purged');
    const alerts = await openAlerts(campaign);
    expect(alerts.map((a) => a.kind)).toEqual(['purge_refused']);
    expect(alerts[0]!.message).toContain('未配送のお詫びの品が 3 件');

    // The report (file and row) names gifts by number only: no name, address, code or gift code.
    const stored = await deps.db
      .selectFrom('purge_reports')
      .select('report')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(stored).toHaveLength(1);
    for (const text of [await storedText(deps.store, report.file!), JSON.stringify(stored[0]!.report)]) {
      for (const id of gifts.undelivered) expect(text).toContain(`"${id}"`);
      for (const c of gifts.customers) {
        expect(text).not.toContain(c.fullName);
        expect(text).not.toContain(c.registrationCode);
      }
      expect(text).not.toContain('大手町');
      expect(text).not.toContain(gifts.emoneyCode);
    }

    // The next hourly run refuses again and keeps the one alert.
    clock = new Date(clock.getTime() + 3_600_000);
    expect((await purgeCampaign(jobDeps, campaign.id)).outcome).toBe('refused');
    expect(await openAlerts(campaign)).toHaveLength(1);
    expect(await personalRows(campaign)).toBe(6);
  });

  it('when a supervisor records an override, then it is audited, and the purge deletes everything and reports the gifts as destroyed with the override', async () => {
    clock = new Date('2002-05-01T00:00:00Z');
    const campaign = await newCampaign();
    const gifts = await giftsOfEveryKind(deps, campaign, clock);
    clock = new Date('2002-05-31T16:00:00Z');
    expect((await purgeCampaign(jobDeps, campaign.id)).outcome).toBe('refused');

    const reason = '発送業者の廃業で再発送できないため。法務部の承認済み（文書 L-77）。';
    const { staff, id, count } = await overrideAsSupervisor(deps, campaign, reason);
    expect(count).toBe(3);
    const audit = await deps.db
      .selectFrom('audit_log')
      .select(['staff_id', 'action', 'campaign_id', 'reason', 'details', 'at'])
      .where('campaign_id', '=', campaign.id)
      .where('action', '=', 'purge.override')
      .execute();
    expect(audit).toEqual([
      {
        staff_id: staff.id,
        action: 'purge.override',
        campaign_id: campaign.id,
        reason,
        details: {
          slug: campaign.slug,
          overrideId: id,
          undelivered: { book_card: 1, donation: 1, emoney: 1 },
          total: 3,
        },
        at: clock,
      },
    ]);

    clock = new Date(clock.getTime() + 3_600_000);
    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.outcome).toBe('passed');
    expect(await personalRows(campaign)).toBe(0);
    expect(await stateOf(campaign)).toBe('purged');
    expect(report.undelivered).toMatchObject({ fate: 'destroyed_with_override', total: 3, uncovered: [] });
    expect(report.undelivered!.gifts.map((g) => g.redemptionId)).toEqual(gifts.undelivered);
    expect(report.override).toMatchObject({
      id,
      staffId: staff.id,
      staffUsername: staff.username,
      reason,
      covers: 3,
    });
    expect(report.text.fate).toBe('上書きの記録により、お届けしないまま個人情報を消去');
    // When the shared parents were busy (another file's import) the empty partitions wait for the
    // next run, and the summary says so too; that is all it may add.
    const summary = report.text.summary.filter((line) => line !== PURGE_MESSAGES.partitionsLeft);
    expect(summary).toEqual([expect.stringContaining(`${staff.username} が`)]);
    expect(await openAlerts(campaign)).toEqual([]);
  });

  it('when a gift is redeemed after the override was recorded, then the override does not cover it and the purge is refused again', async () => {
    clock = new Date('2002-05-01T00:00:00Z');
    const campaign = await newCampaign();
    const gifts = await giftsOfEveryKind(deps, campaign, clock);
    await overrideAsSupervisor(deps, campaign);
    const { id: late } = await buildRedemption(deps, { campaign, option: 'book_card' });

    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.outcome).toBe('refused');
    expect(report.undelivered).toMatchObject({ total: 4, uncovered: [late] });
    expect(report.undelivered!.gifts.map((g) => g.redemptionId)).toEqual([...gifts.undelivered, late]);
    expect(report.text.summary.join('')).toContain('そのあとに見つかった 1 件を対象にしていない');
    expect(await personalRows(campaign)).toBe(7);
  });

  it('when an override is asked for by a clerk or an auditor, with a short reason, without the confirmation, or with nothing undelivered, then nothing is recorded', async () => {
    clock = new Date('2002-05-01T00:00:00Z');
    const campaign = await newCampaign();
    await giftsOfEveryKind(deps, campaign, clock);
    const attempt = async (
      role: 'clerk' | 'auditor' | 'supervisor',
      reason: string,
      confirmed: boolean,
      c = campaign,
    ) => {
      const staff = await buildStaff(deps, role);
      const req = { campaignId: c.id, staff: { id: staff.id, role }, reason, confirmed, at: clock };
      return deps.db
        .transaction()
        .execute((trx) => recordPurgeOverride(trx, req))
        .then(
          () => undefined,
          (err: unknown) => (isAppError(err) ? { code: err.code, fields: err.fields } : err),
        );
    };
    const longReason = '配送業者の事情で発送できないため、上書きします。';
    expect(await attempt('clerk', longReason, true)).toMatchObject({ code: 'forbidden' });
    expect(await attempt('auditor', longReason, true)).toMatchObject({ code: 'forbidden' });
    expect(await attempt('supervisor', '短い', true)).toEqual({
      code: 'validation',
      fields: { reason: '理由を10文字以上で入力してください' },
    });
    expect(await attempt('supervisor', longReason, false)).toEqual({
      code: 'validation',
      fields: { confirm: '確認欄にチェックを入れてから記録してください' },
    });
    expect(await overrides(campaign)).toBe('0');

    const nothingDue = await newCampaign();
    await buildCustomer(deps, nothingDue);
    expect(await attempt('supervisor', longReason, true, nothingDue)).toMatchObject({ code: 'conflict' });
    expect(await overrides(nothingDue)).toBe('0');
    const audited = await deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('campaign_id', 'in', [campaign.id, nothingDue.id])
      .where('action', '=', 'purge.override')
      .execute();
    expect(audited).toEqual([]);
  });
});
