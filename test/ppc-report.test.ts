import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { listEntries } from '../src/audit/audit.repo.js';
import { contactDb } from '../src/contact/contact.tables.js';
import { jstDay } from '../src/platform/jst.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildRedemption, type TestCustomer } from './support/factories.js';
import { buildStaff, staffSessions } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps);
const sessions = staffSessions(app, deps);

const HOUR_MS = 3_600_000;
/** Two days ahead: after the end of today in Japan, whatever the hour the test runs. */
const later = () => new Date(Date.now() + 48 * HOUR_MS);
const earlier = () => new Date(Date.now() - HOUR_MS);

const setErased = (c: TestCustomer, at: Date) =>
  deps.db.updateTable('customers').set({ erased_at: at }).where('id', '=', c.id).execute();

const optOut = (c: TestCustomer, at: Date) =>
  deps.db
    .insertInto('suppression_list')
    .values({
      customer_id: c.id,
      campaign_id: c.campaignId,
      customer_ref: null,
      requested_at: at,
      exported_at: null,
    })
    .execute();

async function contactRequest(
  c: TestCustomer,
  staffId: string,
  kind: 'reissue' | 'erasure',
  decidedAt?: Date,
) {
  await contactDb(deps.db)
    .insertInto('contact_requests')
    .values({
      kind,
      campaign_id: c.campaignId,
      customer_id: c.id,
      requested_by: staffId,
      requested_at: kind === 'reissue' && decidedAt === undefined ? later() : earlier(),
      status: decidedAt ? 'approved' : 'pending',
      decided_by: decidedAt ? decider : null,
      decided_at: decidedAt ?? null,
    })
    .execute();
}

/** Who approves requests: the schema wants someone other than the requester. */
let decider = '';

const importRun = (campaignId: string, staffId: string, imported: number, finishedAt: Date) =>
  deps.db
    .insertInto('import_runs')
    .values({
      campaign_id: campaignId,
      started_by: staffId,
      state: 'done',
      imported,
      finished_at: finishedAt,
    })
    .execute();

/**
 * Six customers; four redemptions by today (web e-money delivered, postcard book card with an
 * opt-out, web donation with erasure delivered, web book card delivered only later) and one after
 * it; one erasure, one opt-out, an approved reissue, a pending erasure request; and records dated
 * after today that must not count (a redemption, an erasure, an opt-out, a request, an import run,
 * a reissue approved only later).
 */
async function campaignWithActivity(staffId: string) {
  decider = (await buildStaff(deps, 'supervisor')).id; // four eyes: not the requester
  const campaign = await buildCampaign(deps);
  const cs: TestCustomer[] = [];
  for (let i = 0; i < 5; i++) cs.push(await buildCustomer(deps, campaign));
  cs.push(await buildCustomer(deps, campaign, { leakedItems: ['address', 'household'] }));
  const [c1, c2, c3, c4, c5, c6] = cs as [
    TestCustomer,
    TestCustomer,
    TestCustomer,
    TestCustomer,
    TestCustomer,
    TestCustomer,
  ];
  const redeemedAt = earlier();
  await buildRedemption(deps, { customer: c1, option: 'emoney', redeemedAt, fulfilledAt: redeemedAt });
  await buildRedemption(deps, {
    customer: c2,
    option: 'book_card',
    channel: 'postcard',
    redeemedAt,
    dataChoice: 'marketing_optout',
  });
  await buildRedemption(deps, {
    customer: c3,
    option: 'donation',
    redeemedAt,
    fulfilledAt: redeemedAt,
    dataChoice: 'erasure',
  });
  await buildRedemption(deps, {
    customer: c4,
    option: 'book_card',
    channel: 'postcard',
    redeemedAt: later(),
  });
  await buildRedemption(deps, { customer: c5, option: 'book_card', redeemedAt, fulfilledAt: later() });
  await setErased(c3, earlier());
  await setErased(c6, later());
  await optOut(c2, earlier());
  await optOut(c1, later());
  await contactRequest(c6, staffId, 'reissue', earlier());
  await contactRequest(c1, staffId, 'reissue', later());
  await contactRequest(c5, staffId, 'erasure');
  await contactRequest(c4, staffId, 'reissue');
  await importRun(campaign.id, staffId, 6, earlier());
  await importRun(campaign.id, staffId, 3, later());
  return { campaign, customers: cs };
}

/** What today's report must say, by section and item (labels as the page shows them). */
const EXPECTED: [string, string, number][] = [
  ['本人への通知（漏えい項目別）', 'サービスにご登録いただいた方のお名前、性別、生年月日', 5],
  [
    '本人への通知（漏えい項目別）',
    '同時にご登録いただいた保護者様またはお子さまのお名前、性別、生年月日、続柄',
    1,
  ],
  ['本人への通知（漏えい項目別）', '郵便番号', 0],
  ['本人への通知（漏えい項目別）', '住所', 6],
  ['本人への通知（漏えい項目別）', '電話番号', 5],
  ['本人への通知（漏えい項目別）', '通知対象者数（合計）', 6],
  ['通知書面', '取込（完了）', 1],
  ['通知書面', '通知書面の発行数', 6],
  ['通知書面', '通知書面の再発行数（承認済み）', 1],
  ['お詫びの手続（受付経路別）', 'WEB', 3],
  ['お詫びの手続（受付経路別）', 'はがき', 1],
  ['お詫びの手続（受付経路別）', '合計', 4],
  ['お詫びの品', '電子マネーギフト：申込', 1],
  ['お詫びの品', '電子マネーギフト：提供済み', 1],
  ['お詫びの品', '図書カード：申込', 2],
  ['お詫びの品', '図書カード：提供済み', 0],
  ['お詫びの品', '図書カード：未提供', 2],
  ['お詫びの品', '寄付：提供済み', 1],
  ['個人データの消去', '消去の申出', 1],
  ['個人データの消去', '消去の実施', 1],
  ['案内停止（ダイレクトメール・営業電話）', '案内停止の申出', 1],
  ['案内停止（ダイレクトメール・営業電話）', '案内停止の連携（出力済み）', 0],
  ['コールセンターの依頼', '書面の再発行（承認）', 1],
  ['コールセンターの依頼', '書面の再発行（未決）', 1],
  ['コールセンターの依頼', '消去（未決）', 1],
];

const unescape = (s: string) => s.replace(/&#34;/g, '"').replace(/&amp;/g, '&');
const figuresOnPage = (html: string) =>
  new Map(
    [...html.matchAll(/data-figure="([^"]*)">([\d,]+)</g)].map((m) => [
      unescape(m[1]!),
      Number(m[2]!.replace(/,/g, '')),
    ]),
  );
const figuresInCsv = (csv: string) =>
  new Map(
    (parse(csv, { bom: true, relax_column_count: true }) as string[][]).map((r) => [`${r[0]}/${r[1]}`, r[2]]),
  );

function expectNoPersonalData(text: string, customers: TestCustomer[]) {
  for (const c of customers) {
    expect(text).not.toContain(c.fullName);
    expect(text).not.toContain(c.registrationCode);
  }
  expect(text).not.toContain('東京都千代田区大手町');
  expect(text).not.toContain('03-1234-5678');
}

describe('the report for the Personal Information Protection Commission', () => {
  it('counts every figure as of the end of today, the CSV says the same, and neither holds personal data', async () => {
    const { staff, ops } = await sessions.auditor();
    const { campaign, customers } = await campaignWithActivity(staff.id);

    const report = await ops.get(`/ops/reports/${campaign.id}`);
    expect(report.text).toContain(`/ops/reports/${campaign.id}/ppc`);

    const page = await ops.get(`/ops/reports/${campaign.id}/ppc`);
    expect(page.status).toBe(200);
    const onPage = figuresOnPage(page.text);
    for (const [section, item, n] of EXPECTED) expect(onPage.get(`${section}/${item}`), item).toBe(n);
    expect(page.text).toContain(campaign.def.contactCentre.freeDial);
    expectNoPersonalData(page.text, customers);

    const csv = await ops.get(`/ops/reports/${campaign.id}/ppc.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.startsWith('\ufeff')).toBe(true);
    expect(csv.text).toContain('\r\n');
    const inCsv = figuresInCsv(csv.text);
    for (const [key, n] of onPage) expect(inCsv.get(key), key).toBe(String(n));
    expect(inCsv.get('事案の概要/事案の概要')).toBe(campaign.def.incidentSummary);
    expectNoPersonalData(csv.text, customers);

    const entries = await listEntries(deps.db, { campaignId: campaign.id }, 100);
    const ppc = entries.filter((e) => e.details.report === 'ppc').map((e) => e.action);
    expect(ppc.sort()).toEqual(['report.export', 'report.view']);
  });

  it('as of yesterday, nothing recorded today counts', async () => {
    const { staff, ops } = await sessions.auditor();
    const { campaign } = await campaignWithActivity(staff.id);
    const yesterday = jstDay(new Date(Date.now() - 24 * HOUR_MS - HOUR_MS));
    const page = await ops.get(`/ops/reports/${campaign.id}/ppc?asOf=${yesterday}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(yesterday);
    expect(figuresOnPage(page.text).get('本人への通知（漏えい項目別）/通知対象者数（合計）')).toBe(0);
    expect((await ops.get(`/ops/reports/${campaign.id}/ppc?asOf=2026-13-01`)).status).toBe(400);
  });

  it('refuses a role without the reports permission', async () => {
    const { ops } = await sessions.clerk();
    const campaign = await buildCampaign(deps);
    expect((await ops.get(`/ops/reports/${campaign.id}/ppc`)).status).toBe(403);
    expect((await ops.get(`/ops/reports/${campaign.id}/ppc.csv`)).status).toBe(403);
  });
});
