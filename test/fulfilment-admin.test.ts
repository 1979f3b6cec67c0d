import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { bookDonation } from '../src/fulfilment/donation.service.js';
import { createApp } from '../src/app/create-app.js';
import { uploadTempDir } from '../src/operators/uploads.js';
import { useTestDeps } from './support/context.js';
import {
  buildAlert,
  buildBookCardRedemption,
  buildCampaign,
  buildDonationRedemption,
  buildPurgeReport,
  resolveAlerts,
  type TestRedemption,
} from './support/factories.js';
import { buildStaff, OpsBrowser, staffSessions } from './support/ops.js';
import { csrfFrom } from './support/web.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-fulfilment-admin-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const app = createApp(deps);

async function campaignWithCards(n: number): Promise<{ campaign: Campaign; cards: TestRedemption[] }> {
  const campaign = await buildCampaign(deps);
  const cards: TestRedemption[] = [];
  for (let i = 0; i < n; i++) cards.push(await buildBookCardRedemption(deps, campaign));
  return { campaign, cards };
}

const { supervisor } = staffSessions(app, deps);

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_type', 'target_id', 'campaign_id', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'not like', 'staff.%')
    .orderBy('id')
    .execute();

const batchesOf = (campaignId: string) =>
  deps.db
    .selectFrom('shipping_batches')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();

const fulfilled = async (redemptionId: string) =>
  (
    await deps.db
      .selectFrom('redemptions')
      .select('fulfilled_at')
      .where('id', '=', redemptionId)
      .executeTakeFirstOrThrow()
  ).fulfilled_at;

async function cut(ops: OpsBrowser, campaignId: string) {
  return ops.post(
    `/ops/fulfilment/campaigns/${campaignId}/cut`,
    {},
    `/ops/fulfilment/campaigns/${campaignId}`,
  );
}

/** Post/Redirect/Get: the action answers 303 to the page it changed; the browser then loads it. */
async function follow(ops: OpsBrowser, posted: { status: number; headers: Record<string, string> }) {
  expect(posted.status).toBe(303);
  expect(posted.headers.location).toMatch(/^\/ops\/fulfilment\/campaigns\/\d+\?/);
  return ops.get(posted.headers.location!);
}

async function uploadShipped(ops: OpsBrowser, csv: string, withToken = true) {
  const token = await ops.token('/ops/fulfilment');
  const req = ops.agent.post('/ops/fulfilment/shipped-file');
  if (withToken) req.field('_csrf', token);
  return req.attach('file', Buffer.from(csv, 'utf8'), { filename: 'shipped.csv', contentType: 'text/csv' });
}

describe('shipping batches in the console', () => {
  it('when "cut batches now" is pressed for a campaign, then its pending cards become a batch with a manifest, audited', async () => {
    const { campaign } = await campaignWithCards(3);
    const { staff, ops } = await supervisor();

    const before = await ops.get(`/ops/fulfilment/campaigns/${campaign.id}`);
    expect(before.status).toBe(200);
    expect(before.text).toMatch(/バッチ待ちの図書カード：<strong>3 枚<\/strong>/);

    const res = await follow(ops, await cut(ops, campaign.id));
    expect(res.status).toBe(200);
    expect(res.text).toContain('出荷バッチを 1 件作成しました（図書カード 3 枚）');
    const [batch] = await batchesOf(campaign.id);
    expect(batch).toMatchObject({ line_count: 3, shipped_at: null });
    expect(await deps.store.exists(batch!.manifest_file!)).toBe(true);
    expect(res.text).toContain('出荷指示ファイルをダウンロード');
    expect(await auditOf(staff.id)).toEqual([
      {
        action: 'shipping.cut',
        target_type: 'campaign',
        target_id: campaign.id,
        campaign_id: campaign.id,
        details: { batchIds: [batch!.id], lines: 3 },
      },
    ]);

    const again = await follow(ops, await cut(ops, campaign.id));
    expect(again.text).toContain('バッチにする図書カードはありませんでした');
    expect(await batchesOf(campaign.id)).toHaveLength(1);
  });

  it('when the campaign id is missing or unknown, then "cut" answers 404 and cuts nothing', async () => {
    const { campaign } = await campaignWithCards(1);
    const { staff, ops } = await supervisor();
    for (const id of ['0', 'abc', '999999999999']) {
      const res = await ops.post(`/ops/fulfilment/campaigns/${id}/cut`, {});
      expect(res.status).toBe(404);
      expect(res.text).toContain('キャンペーンが見つかりません');
    }
    expect(await batchesOf(campaign.id)).toEqual([]);
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it('when a manifest is downloaded, then it is the CSV of the batch (rewritten if it went missing) and the export is audited', async () => {
    const { campaign, cards } = await campaignWithCards(2);
    const { staff, ops } = await supervisor();
    await cut(ops, campaign.id);
    const [batch] = await batchesOf(campaign.id);
    await deps.store.delete(batch!.manifest_file!); // lost: the download writes it again

    const res = await ops.get(`/ops/fulfilment/batches/${batch!.id}/manifest`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`${campaign.slug}-batch-${batch!.id}.csv`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text.startsWith('\uFEFF')).toBe(true); // Excel reads it as UTF-8
    const lines = res.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('batch,line,registration_code,name,postal_code,address');
    expect(lines).toHaveLength(3);
    expect(res.text).toContain(cards[0]!.customer.registrationCode);

    const entries = await auditOf(staff.id);
    expect(entries.at(-1)).toEqual({
      action: 'export.shipping_manifest',
      target_type: 'shipping_batch',
      target_id: batch!.id,
      campaign_id: campaign.id,
      details: { lines: 2 },
    });
    expect(JSON.stringify(entries)).not.toContain(cards[0]!.customer.fullName);
  });

  it('when a batch is marked shipped without the confirmation, then nothing changes; with it, the cards are delivered and the manifest is gone', async () => {
    const { campaign, cards } = await campaignWithCards(2);
    const { staff, ops } = await supervisor();
    await cut(ops, campaign.id);
    const [batch] = await batchesOf(campaign.id);

    const confirm = await ops.get(`/ops/fulfilment/batches/${batch!.id}/ship`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('取り消せません');

    const unconfirmed = await ops.post(`/ops/fulfilment/batches/${batch!.id}/ship`, {});
    expect(unconfirmed.status).toBe(400);
    // Said once, next to the box, and tied to it for screen readers.
    expect(unconfirmed.text.match(/確認欄にチェック/g)).toHaveLength(1);
    expect(unconfirmed.text).toContain('aria-describedby="confirm-error"');
    expect((await batchesOf(campaign.id))[0]!.shipped_at).toBeNull();
    expect(await fulfilled(cards[0]!.id)).toBeNull();

    const posted = await ops.post(`/ops/fulfilment/batches/${batch!.id}/ship`, { confirm: 'yes' });
    expect(posted.headers.location).toBe(
      `/ops/fulfilment/campaigns/${campaign.id}?done=shipped&batch=${batch!.id}&delivered=2`,
    );
    const res = await follow(ops, posted);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`バッチ ${batch!.id} を発送済みにしました（お届け完了 2 件）`);
    const [shipped] = await batchesOf(campaign.id);
    expect(shipped!.shipped_at).not.toBeNull();
    expect(await deps.store.exists(batch!.manifest_file!)).toBe(false);
    for (const c of cards) expect(await fulfilled(c.id)).not.toBeNull();
    expect((await auditOf(staff.id)).at(-1)).toMatchObject({
      action: 'shipping.mark_shipped',
      target_id: batch!.id,
      details: { lines: 2 },
    });

    const repeat = await follow(
      ops,
      await ops.post(`/ops/fulfilment/batches/${batch!.id}/ship`, { confirm: 'yes' }),
    );
    expect(repeat.text).toContain('すでに発送済みです');
    const download = await ops.get(`/ops/fulfilment/batches/${batch!.id}/manifest`);
    expect(download.status).toBe(409);
    expect(download.text).toContain('発送とともに削除');
  });

  it('when the vendor shipped file is uploaded, then tracked lines are delivered, bad rows are reported by line, and a fully tracked batch is shipped', async () => {
    const { campaign, cards } = await campaignWithCards(2);
    const { staff, ops } = await supervisor();
    await cut(ops, campaign.id);
    const [batch] = await batchesOf(campaign.id);
    const csv = [
      'batch,line,tracking_number',
      `${batch!.id},1,TRK-0001`,
      `${batch!.id},2,TRK-0002`,
      `${batch!.id},99,TRK-0099`,
      'x,1,TRK',
    ].join('\n');

    const res = await uploadShipped(ops, csv);
    expect(res.status).toBe(200);
    expect(res.text).toContain('出荷ファイルの取り込み結果');
    expect(res.text).toMatch(/追跡番号を登録・更新した行<\/dt><dd>2 行/);
    expect(res.text).toMatch(new RegExp(`発送済みになったバッチ</dt><dd>${batch!.id}<`));
    expect(res.text).toMatch(/<td class="num">4<\/td>/);
    expect(res.text).toMatch(/<td class="num">5<\/td>/);
    expect(res.text).toContain('該当する出荷バッチ・行がありません');
    for (const c of cards) expect(await fulfilled(c.id)).not.toBeNull();
    expect((await batchesOf(campaign.id))[0]!.shipped_at).not.toBeNull();
    expect((await auditOf(staff.id)).at(-1)).toMatchObject({
      action: 'shipping.import_shipped_file',
      details: { updated: 2, badRows: 2, shippedBatches: [batch!.id] },
    });

    const page = await ops.get(`/ops/fulfilment/campaigns/${campaign.id}`);
    expect(page.text).toContain('2 / 2');
  });

  it('when the shipped file has a wrong header, then it is refused with a clear message and nothing is imported', async () => {
    const { campaign, cards } = await campaignWithCards(1);
    const { ops } = await supervisor();
    await cut(ops, campaign.id);
    const [batch] = await batchesOf(campaign.id);
    const res = await uploadShipped(ops, `batch,tracking\n${batch!.id},TRK-1\n`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('出荷ファイルの見出し行が正しくありません');
    expect(await fulfilled(cards[0]!.id)).toBeNull();
  });

  it('when the upload has no file or no CSRF token, then it is refused and nothing is imported', async () => {
    const { campaign, cards } = await campaignWithCards(1);
    const { ops } = await supervisor();
    await cut(ops, campaign.id);
    const [batch] = await batchesOf(campaign.id);

    const noFile = await ops.post('/ops/fulfilment/shipped-file', {}, '/ops/fulfilment');
    expect(noFile.status).toBe(400);
    expect(noFile.text).toContain('出荷ファイル（CSV）を選んでください');

    const forged = await uploadShipped(ops, `batch,line,tracking_number\n${batch!.id},1,TRK-1\n`, false);
    expect(forged.status).toBe(403);
    expect(await fulfilled(cards[0]!.id)).toBeNull();
    // The refused upload was removed from disk.
    expect(readdirSync(uploadTempDir())).toEqual([]);
  });

  it('when a clerk tries the shipping pages or a manifest, then it is forbidden', async () => {
    const { campaign } = await campaignWithCards(1);
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    expect((await ops.get('/ops/fulfilment')).status).toBe(403);
    expect((await ops.get(`/ops/fulfilment/campaigns/${campaign.id}`)).status).toBe(403);
    expect((await ops.post(`/ops/fulfilment/campaigns/${campaign.id}/cut`, {})).status).toBe(403);
    expect(await batchesOf(campaign.id)).toEqual([]);
  });
});

describe('donation ledger, purge reports and alerts in the console', () => {
  it('when donations are booked, then the ledger shows count and total per campaign and no donor data', async () => {
    const campaign = await buildCampaign(deps);
    const donations = [
      await buildDonationRedemption(deps, campaign),
      await buildDonationRedemption(deps, campaign),
    ];
    for (const d of donations)
      await bookDonation(
        deps.db,
        { id: d.id, campaignId: campaign.id, amountYen: 500 },
        'テスト基金',
        new Date(),
      );
    const { ops } = await supervisor();
    const res = await ops.get('/ops/fulfilment/donations');
    expect(res.status).toBe(200);
    const row = new RegExp(
      `<small translate="no">${campaign.slug}</small></td><td>[^<]*</td><td class="num">2</td><td class="num">1,000円</td>`,
    );
    expect(res.text).toMatch(row);
    expect(res.text).toContain(donations[0]!.id);
    for (const d of donations) {
      expect(res.text).not.toContain(d.customer.fullName);
      expect(res.text).not.toContain(d.customer.registrationCode);
    }
  });

  it('when purge reports exist, then the list and the detail show counts and checks; an unknown report is 404', async () => {
    const campaign = await buildCampaign(deps);
    const report = {
      campaignId: campaign.id,
      campaign: campaign.slug,
      startedAt: '2027-01-01T00:00:00.000Z',
      finishedAt: '2027-01-01T00:00:05.000Z',
      durationMs: 5000,
      phasesMs: { deletePersonal: 4000 },
      sampledValues: 12,
      countsBefore: { customer_personal: 10, login_attempts: 3 },
      countsAfter: { customer_personal: 0, login_attempts: 0 },
      checks: [{ name: 'database: no personal row of the campaign', passed: true, detail: '0 rows' }],
      passed: true,
    };
    const id = await buildPurgeReport(deps, campaign, report);
    const { ops } = await supervisor();

    const list = await ops.get('/ops/fulfilment/purge-reports');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/ops/fulfilment/purge-reports/${id}`);
    expect(list.text).toContain(campaign.slug);

    const detail = await ops.get(`/ops/fulfilment/purge-reports/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('すべての確認に合格');
    expect(detail.text).toContain('database: no personal row of the campaign');
    expect(detail.text).toMatch(
      /<code>customer_personal<\/code><\/td><td class="num">10<\/td><td class="num">0<\/td>/,
    );

    expect((await ops.get('/ops/fulfilment/purge-reports/0')).status).toBe(404);
    expect((await ops.get('/ops/fulfilment/purge-reports/999999999999')).status).toBe(404);
  });

  it('when an alert is open, then the alerts page lists it with a link to act on it', async () => {
    const campaign = await buildCampaign(deps);
    const message = `${campaign.slug}: 未発送の図書カードが 3 件あります。`;
    await buildAlert(deps, campaign, 'unshipped_book_cards', message);
    const { ops } = await supervisor();
    const res = await ops.get('/ops/fulfilment/alerts');
    expect(res.status).toBe(200);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`/ops/fulfilment/campaigns/${campaign.id}`);
    expect(res.text).toContain('<td>未発送の図書カード</td>');
    expect(res.text).not.toContain('unshipped_book_cards');
    await resolveAlerts(deps, campaign);
  });

  it('when the overview is opened, then the campaign is listed with its pending cards', async () => {
    const { campaign } = await campaignWithCards(2);
    const { ops } = await supervisor();
    const res = await ops.get('/ops/fulfilment');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a href="/ops/fulfilment/campaigns/${campaign.id}">`);
    expect(res.text).toContain('enctype="multipart/form-data"');
    // The token in the page is one the upload accepts.
    expect(csrfFrom(res.text)).toBeTruthy();
  });
});
