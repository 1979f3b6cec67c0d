import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { checkLogs, type PurgeCheck } from '../src/purge/purge.checks.js';
import { PURGE_MESSAGES } from '../src/purge/purge.messages.js';
import { judgeChecks, type PurgeReport } from '../src/purge/purge.report.js';
import { purgeCampaign } from '../src/purge/purge.service.js';
import { createApp } from '../src/app/create-app.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, giftsOfEveryKind, overrideAsSupervisor } from './support/factories.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

// The real clock (staff sign in with a TOTP); campaigns keep the demo's far deadlines and are purged by id.
const dataDir = useScratchDir(); // and no LOG_FILE: logs go to stdout only
const deps = useTestDeps({}, { DATA_DIR: dataDir });
const redis = useRedis();
const jobDeps: JobDeps = { ...deps, redis };
const app = createApp(deps);

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Identifiers allowed inside Japanese text: file paths, table.column, LOG_FILE, *.log, Redis, ids. */
const IDENTIFIERS = /(\/[^\s、。（）]+)|([a-z_]+\.[a-z_]+)|LOG_FILE|\*\.log|Redis/g;
const englishIn = (text: string) => text.replace(IDENTIFIERS, '').match(/[A-Za-z]{3,}/g) ?? [];

/** Every text a reader sees on a report: result, summary, check names and details, labels. */
function reportTexts(r: PurgeReport): string[] {
  const t = r.text;
  return [
    t.title,
    t.result,
    ...t.summary,
    ...(t.fate ? [t.fate] : []),
    ...r.checks.flatMap((c) => [c.name, c.detail]),
    ...Object.values(t.headings),
    ...Object.values(t.facts),
    ...Object.values(t.columns),
    ...Object.values(t.status),
    ...Object.values(t.counts),
    ...Object.values(t.steps),
    ...Object.values(t.gifts),
    ...Object.keys(r.phasesMs).map((k) => t.steps[k as keyof typeof t.steps]),
  ];
}

const byId = (r: PurgeReport, id: PurgeCheck['id']) => r.checks.find((c) => c.id === id)!;
/** A key with nothing personal in it, so the Redis check always has something to examine. */
const someRedisKey = () => redis.set(`purge-report-test:${randomUUID()}`, 'x', 'EX', 600);

describe('checks that have nothing to examine', () => {
  it('when no LOG_FILE is set and no *.log lies in the data directory, then the log check says 対象なし and why, and the result does not claim that all checks passed', async () => {
    const campaign = await buildCampaign(deps);
    await buildCustomer(deps, campaign);
    await someRedisKey();
    const report = await purgeCampaign(jobDeps, campaign.id);

    expect(report.checks.filter((c) => c.id !== 'logs').map((c) => c.status)).toEqual(
      Array(5).fill('passed'),
    );
    const logs = byId(report, 'logs');
    expect(logs).toMatchObject({ status: 'not_applicable', passed: false });
    expect(logs.detail).toContain('LOG_FILE が設定されておらず');
    expect(report.outcome).toBe('passed');
    expect(report.text.result).toBe('対象となる確認にすべて合格（対象なし 1 件）');
    expect(report.text.result).not.toBe(PURGE_MESSAGES.outcome.passed);

    const missing = path.join(dataDir, 'nowhere', 'app.txt');
    const configured = await checkLogs({ LOG_FILE: missing }, ['試験 花子の住所']);
    expect(configured.status).toBe('not_applicable');
    expect(configured.detail).toContain(missing);
  });

  it('when Redis cannot be reached, then the Redis check says 対象なし and why, the uncounted jobs fail the counts check, and the campaign is not marked purged', async () => {
    const dead = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const campaign = await buildCampaign(deps);
    await buildCustomer(deps, campaign);
    const report = await purgeCampaign({ ...jobDeps, redis: dead }, campaign.id).finally(() =>
      dead.disconnect(),
    );

    expect(byId(report, 'redis')).toMatchObject({ status: 'not_applicable', passed: false });
    expect(byId(report, 'redis').detail).toContain('Redis に接続できないため');
    expect(byId(report, 'counts')).toMatchObject({ status: 'failed' });
    expect(byId(report, 'counts').detail).toContain('数えられなかったもの: Redis のジョブ');
    expect(report.outcome).toBe('failed');
    const row = await deps.db
      .selectFrom('campaigns')
      .select('state')
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(row.state).not.toBe('purged');
  });

  it('when no personal value could be sampled, then the database, Redis and log checks say 対象なし with the reason', async () => {
    const campaign = await buildCampaign(deps);
    const report = await purgeCampaign(jobDeps, campaign.id);
    const skipped = report.checks.filter((c) => c.status === 'not_applicable');
    expect(skipped.map((c) => c.id)).toEqual(['database', 'redis', 'logs']);
    for (const c of skipped) expect(c.detail).toBe(PURGE_MESSAGES.checks.noSamples);
    expect(report.text.result).toBe('対象となる確認にすべて合格（対象なし 3 件）');
  });

  it('when nothing could be examined at all, or an applicable check failed, then the result is not passed', () => {
    const c = (status: PurgeCheck['status']): PurgeCheck => ({
      id: 'logs',
      name: 'x',
      status,
      passed: status === 'passed',
      detail: '',
    });
    expect(judgeChecks([c('not_applicable'), c('not_applicable')])).toEqual({
      outcome: 'failed',
      result: PURGE_MESSAGES.outcome.nothingExamined,
    });
    expect(judgeChecks([c('passed'), c('failed'), c('not_applicable')]).outcome).toBe('failed');
    expect(judgeChecks([c('passed'), c('passed')])).toEqual({
      outcome: 'passed',
      result: 'すべての確認に合格',
    });
  });
});

describe('the report in Japanese', () => {
  it('when a purge is refused and when it runs with an override, then every text of the report is Japanese', async () => {
    const campaign = await buildCampaign(deps);
    await giftsOfEveryKind(deps, campaign, deps.now());
    const refused = await purgeCampaign(jobDeps, campaign.id);
    const { staff } = await overrideAsSupervisor(deps, campaign);
    const done = await purgeCampaign(jobDeps, campaign.id);
    expect([refused.outcome, done.outcome]).toEqual(['refused', 'passed']);
    for (const r of [refused, done]) {
      for (const text of reportTexts(r)) {
        expect(text, text).toMatch(JAPANESE);
        expect(englishIn(text.replace(staff.username, '')), text).toEqual([]);
      }
    }
  });

  it('when the purge modules are read, then their report texts come from the catalogue, not from literals in the code', () => {
    const withoutComments = (file: string) =>
      readFileSync(path.resolve('src/purge', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
    for (const file of ['purge.checks.ts', 'purge.report.ts', 'purge.record.ts']) {
      expect(withoutComments(file), file).not.toMatch(JAPANESE);
    }
  });

  it('when a supervisor opens a refused report, then the console shows it in Japanese: refusal, gifts by number, 対象なし, and no personal data', async () => {
    const campaign = await buildCampaign(deps);
    const gifts = await giftsOfEveryKind(deps, campaign, deps.now());
    await purgeCampaign(jobDeps, campaign.id);
    await overrideAsSupervisor(deps, campaign);
    await someRedisKey();
    await purgeCampaign(jobDeps, campaign.id);
    const ids = await deps.db
      .selectFrom('purge_reports')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .orderBy('id')
      .execute();
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));

    // The list tells a refusal from a failure.
    const list = (await ops.get('/ops/fulfilment/purge-reports')).text;
    const row = (id: string) => list.slice(list.indexOf(`purge-reports/${id}"`)).split('</tr>')[0]!;
    expect(row(ids[0]!.id)).toContain('消去を見合わせ（未配送のお詫びの品あり）');
    expect(row(ids[1]!.id)).toContain('<span class="ok">合格</span>');

    const refusedPage = (await ops.get(`/ops/fulfilment/purge-reports/${ids[0]!.id}`)).text;
    expect(refusedPage).toContain('消去を拒否（未配送のお詫びの品 3 件）');
    expect(refusedPage).toContain('未発送の図書カード');
    expect(refusedPage).toContain('寄付台帳に未計上の寄付');
    for (const id of gifts.undelivered) expect(refusedPage).toContain(id);
    expect(refusedPage).toContain('消去後の確認は行っていません');

    const donePage = (await ops.get(`/ops/fulfilment/purge-reports/${ids[1]!.id}`)).text;
    expect(donePage).toContain('対象となる確認にすべて合格（対象なし 1 件）');
    expect(donePage).toContain('<span class="na">対象なし</span>');
    expect(donePage).toContain('上書きの記録により、お届けしないまま個人情報を消去');
    expect(donePage).toContain('お客様の個人情報（行）');
    expect(donePage).not.toContain('すべての確認に合格<');
    for (const page of [refusedPage, donePage]) {
      expect(page).not.toMatch(/passed|failed|searched|log files|customer_personal/);
      for (const c of gifts.customers) expect(page).not.toContain(c.fullName);
      expect(page).not.toContain(gifts.emoneyCode);
    }
  });
});
