import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { createApp } from '../src/app/create-app.js';
import { buildCampaignReport, reportRows } from '../src/reports/reports.service.js';
import {
  axeSeriousViolations,
  describeInChromium,
  horizontalOverflow,
  launchChromium,
  listen,
  screenshot,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import {
  bookInLedger,
  buildCampaign,
  buildCustomer,
  buildEmoneyPool,
  buildRedemption,
  redeem,
  type TestCustomer,
} from './support/factories.js';
import { buildStaff, freshTotp, OpsBrowser } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);

const DAY_MS = 86_400_000;
const jstDay = (d: Date) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
/** Noon in Japan, `daysAgo` days before today: far from any day boundary. */
const jstNoon = (daysAgo: number) =>
  new Date(Date.parse(`${jstDay(new Date(Date.now() - daysAgo * DAY_MS))}T03:00:00Z`));

const at = (d: Date) => ({ db: deps.db, now: () => d });

/**
 * Six notified customers: two e-money redemptions on day 1 (one opting out of marketing), a
 * donation with erasure and a book card on day 2 (web), a book card by postcard on day 2, one who
 * has not redeemed. The donor is erased and the donation booked on day 3.
 */
async function campaignWithActivity() {
  const campaign = await buildCampaign(deps);
  await buildEmoneyPool(deps, campaign, 3);
  const customers: TestCustomer[] = [];
  for (let i = 0; i < 6; i++) customers.push(await buildCustomer(deps, campaign));
  const [d1, d2, d3] = [jstNoon(2), jstNoon(1), jstNoon(0)];
  const [c1, c2, c3, c4, c5] = customers as [
    TestCustomer,
    TestCustomer,
    TestCustomer,
    TestCustomer,
    TestCustomer,
  ];
  await redeem(at(d1), campaign, c1.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' });
  await redeem(at(d1), campaign, c2.id, {
    option: 'emoney',
    brand: 'amazon',
    dataChoice: 'marketing_optout',
  });
  const donation = await redeem(at(d2), campaign, c3.id, { option: 'donation', dataChoice: 'erasure' });
  await redeem(at(d2), campaign, c4.id, { option: 'book_card', dataChoice: 'none', shipping: null });
  await buildRedemption(deps, { customer: c5, channel: 'postcard', option: 'book_card', redeemedAt: d2 });
  await deps.db.updateTable('customers').set({ erased_at: d3 }).where('id', '=', c3.id).execute();
  await bookInLedger(deps, campaign, donation, d3);
  return { campaign, customers, days: [d1, d2, d3].map(jstDay) };
}

const auditFor = (campaignId: string, action: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['staff_id', 'action', 'target_id', 'details'])
    .where('campaign_id', '=', campaignId)
    .where('action', '=', action)
    .execute();

describe('reports', () => {
  let campaign: Campaign;
  let customers: TestCustomer[];
  let days: string[];
  beforeAll(async () => {
    ({ campaign, customers, days } = await campaignWithActivity());
  });

  it('when a campaign has activity, then every chart counts it per Japanese day, for that campaign only', async () => {
    // Another campaign's redemption on the same day changes nothing here.
    const other = await buildCampaign(deps);
    const stranger = await buildCustomer(deps, other);
    await redeem(at(jstNoon(2)), other, stranger.id, { option: 'donation', dataChoice: 'none' });

    const report = await buildCampaignReport(deps.db, campaign);
    const chart = (key: string) => report.charts.find((c) => c.key === key)!;
    const series = (key: string) => Object.fromEntries(chart(key).series.map((s) => [s.label, s.values]));

    expect(chart('by-option').categories).toEqual(days);
    expect(series('by-option')).toEqual({
      電子マネーギフト: [2, 0, 0],
      図書カード: [0, 2, 0],
      寄付: [0, 1, 0],
    });
    expect(series('by-brand')).toEqual({ 楽天Edy: [1, 0, 0], Amazonギフト券: [1, 0, 0], nanaco: [0, 0, 0] });
    expect(series('by-channel')).toEqual({ WEB: [2, 2, 0], はがき: [0, 1, 0] });
    expect(series('redemption-rate')).toEqual({ '累計申込率（%）': [33.333, 83.333, 83.333] });
    expect(series('data-choices')).toEqual({
      消去の申出: [0, 1, 0],
      消去の実施: [0, 0, 1],
      案内停止の申出: [1, 0, 0],
    });
    expect(series('donations')).toEqual({ '寄付の累計額（円）': [0, 0, 500] });
    expect(chart('pool').categories).toEqual(['Amazonギフト券', '楽天Edy', 'nanaco']);
    expect(series('pool')).toEqual({ '未割当（在庫）': [2, 2, 3], 割当済み: [1, 1, 0] });
    expect(report.summary).toEqual({
      notified: 6,
      redemptions: 5,
      ratePercent: 83.333,
      erasureRequests: 1,
      erasuresDone: 1,
      optOuts: 1,
      donations: { count: 1, totalYen: 500 },
      donationsPending: 0,
      poolFree: 7,
    });
    expect(reportRows(chart('redemption-rate'))).toEqual([
      ['日付（日本時間）', '累計申込率（%）', '申込数（日別）', '累計申込数', '通知対象者数'],
      [days[0], 33.333, 2, 2, 6],
      [days[1], 83.333, 3, 5, 6],
      [days[2], 83.333, 0, 5, 6],
    ]);
  });

  it('when a campaign has no activity, then the charts are empty and nothing divides by zero', async () => {
    const empty = await buildCampaign(deps);
    const report = await buildCampaignReport(deps.db, empty);
    expect(report.summary.ratePercent).toBe(0);
    expect(report.charts.every((c) => c.categories.length === 0)).toBe(true);
  });

  it('when a supervisor opens the reports, then the campaign is listed and its page shows every chart with its table, audited', async () => {
    const supervisor = await buildStaff(deps, 'supervisor');
    const ops = await new OpsBrowser(app).signIn(supervisor);
    const list = await ops.get('/ops/reports');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`href="/ops/reports/${campaign.id}"`);

    const page = await ops.get(`/ops/reports/${campaign.id}`);
    expect(page.status).toBe(200);
    expect(page.text.match(/<svg /g)).toHaveLength(7);
    expect(page.text.match(/role="img" aria-labelledby="chart-/g)).toHaveLength(7);
    expect(page.text.match(/<table class="grid">/g)).toHaveLength(7);
    expect(page.text).toContain(`/ops/reports/${campaign.id}/by-option.csv`);
    expect(page.text).not.toMatch(/<script|style="/);
    // Aggregates only: nobody's name or code appears.
    for (const c of customers) {
      expect(page.text).not.toContain(c.fullName);
      expect(page.text).not.toContain(c.registrationCode);
    }
    expect(await auditFor(campaign.id, 'report.view')).toEqual([
      { staff_id: supervisor.id, action: 'report.view', target_id: campaign.id, details: {} },
    ]);
  });

  it('when an auditor exports a report, then the CSV holds the chart figures and the export is audited', async () => {
    const auditor = await buildStaff(deps, 'auditor');
    const ops = await new OpsBrowser(app).signIn(auditor);
    const res = await ops.get(`/ops/reports/${campaign.id}/by-channel.csv`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(
      new RegExp(`attachment; filename="?report-${campaign.slug}-by-channel-\\d{8}\\.csv"?$`),
    );
    expect(res.text).toBe(
      `\ufeff日付（日本時間）,WEB,はがき\r\n${days[0]},2,0\r\n${days[1]},2,1\r\n${days[2]},0,0\r\n`,
    );
    const exports = await auditFor(campaign.id, 'report.export');
    expect(exports).toContainEqual({
      staff_id: auditor.id,
      action: 'report.export',
      target_id: campaign.id,
      details: { report: 'by-channel', rows: 3 },
    });
  });

  it('when the campaign or the report does not exist, then 404 with a message, never a server error', async () => {
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'auditor'));
    for (const path of [
      '/ops/reports/0',
      '/ops/reports/abc',
      '/ops/reports/99999999999999999999999',
      '/ops/reports/999999999999',
      `/ops/reports/${campaign.id}/nothing.csv`,
      `/ops/reports/0/by-option.csv`,
    ]) {
      const res = await ops.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toMatch(/(キャンペーン|レポート)が見つかりません/);
    }
  });

  it('when a label typed into the campaign looks like a formula, then the exported CSV (UTF-8 with BOM) shows it as text', async () => {
    const base = await buildCampaign(deps);
    const evil = '=HYPERLINK("http://evil.example/","楽天Edy")';
    const campaign = await buildCampaign(deps, {
      options: {
        ...base.def.options,
        emoney: { ...base.def.options.emoney!, brands: [{ key: 'edy', label: evil }] },
      },
    });
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'auditor'));
    const res = await ops.get(`/ops/reports/${campaign.id}/by-brand.csv`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.text.split('\r\n')[0]).toContain(`"'=HYPERLINK(""http://evil.example/"",""楽天Edy"")"`);
  });

  it('when a clerk asks for reports, then 403', async () => {
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    expect((await ops.get('/ops/reports')).status).toBe(403);
    expect((await ops.get(`/ops/reports/${campaign.id}/pool.csv`)).status).toBe(403);
  });
});

describe("the campaign's public page", () => {
  it('when donations have been booked, then the page shows their count and total', async () => {
    const { campaign } = await campaignWithActivity();
    const res = await supertest(app).get(`/c/${campaign.slug}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('これまでに1件・500円を寄付しました');
  });

  it('when nothing has been donated yet, then the page shows no total', async () => {
    const campaign = await buildCampaign(deps);
    const res = await supertest(app).get(`/c/${campaign.slug}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('寄付しました');
  });
});

describeInChromium('reports and the audit log in a real browser', () => {
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    server = await listen(app);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('when an auditor reads the charts and the audit log, then the pages pass axe, break no CSP rule and fit the window', async () => {
    const { campaign } = await campaignWithActivity();
    const auditor = await buildStaff(deps, 'auditor');
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'ja-JP' });
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      // (A missing favicon is no concern here; a refused style or script is.)
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    await page.goto(`${server.baseUrl}/ops/login`);
    await page.getByLabel('ユーザー名').fill(auditor.username);
    await page.getByLabel('パスワード').fill(auditor.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.locator('#code').fill(await freshTotp(auditor));
    await page.locator('#code').press('Enter');
    await page.waitForURL(`${server.baseUrl}/ops`);

    for (const [name, path] of [
      ['ops-reports', `/ops/reports/${campaign.id}`],
      ['ops-audit', `/ops/audit?campaign=${campaign.id}`],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      await screenshot(page, name);
      expect(await axeSeriousViolations(page, name), name).toEqual([]);
      expect(await horizontalOverflow(page), name).toBeNull();
    }
    // Each chart is an image named by its title, for a screen reader.
    await page.goto(`${server.baseUrl}/ops/reports/${campaign.id}`);
    await expect(page.getByRole('img', { name: '日別申込数（受付経路別）' }).count()).resolves.toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
