import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { parsePoolRow } from '../src/pools/pools.csv.js';
import { uploadPoolCodes } from '../src/pools/pools.service.js';
import { checkPoolStock, lowStockThreshold, LOW_STOCK_KIND } from '../src/pools/pools.stock.js';
import { findCampaignById } from '../src/campaigns/campaign.repo.js';
import { createApp } from '../src/app/create-app.js';
import { uploadTempDir } from '../src/operators/uploads.js';
import { useTestDeps } from './support/context.js';
import {
  buildCampaign,
  buildCustomer,
  buildEmoneyPool,
  buildVendorCampaign,
  redeem,
} from './support/factories.js';
import { buildStaff, staffSessions, type OpsBrowser } from './support/ops.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-pools-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const app = createApp(deps);

const { supervisor } = staffSessions(app, deps);

async function upload(ops: OpsBrowser, campaign: Campaign, csv: string) {
  const token = await ops.token(`/ops/campaigns/${campaign.id}/pools`);
  return ops.agent
    .post(`/ops/campaigns/${campaign.id}/pools`)
    .field('_csrf', token)
    .attach('file', Buffer.from(csv, 'utf8'), { filename: 'codes.csv', contentType: 'text/csv' });
}

const uid = () => Math.random().toString(36).slice(2, 10).toUpperCase();
const codes = (brand: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) => `${brand},${brand.toUpperCase()}-${uid()}-${String(i).padStart(4, '0')}`,
  );

const stored = (campaign: Campaign) =>
  deps.db
    .selectFrom('emoney_codes')
    .select(['brand', 'code', 'amount_yen', 'redemption_id'])
    .where('campaign_id', '=', campaign.id)
    .orderBy('id')
    .execute();

const openAlert = (campaign: Campaign) =>
  deps.db
    .selectFrom('alerts')
    .select(['message', 'resolved_at'])
    .where('campaign_id', '=', campaign.id)
    .where('kind', '=', LOW_STOCK_KIND)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();

describe('e-money code pools', () => {
  it('when a good file is uploaded, then its codes are added at the campaign amount, audited, and the stock shows per brand', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const csv = ['brand,code', ...codes('edy', 3), ...codes('nanaco', 2)].join('\r\n') + '\r\n';
    const res = await upload(ops, campaign, csv);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/ops/campaigns/${campaign.id}/pools?added=5`);
    const rows = await stored(campaign);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.amount_yen === 500 && r.redemption_id === null)).toBe(true);
    const page = await ops.get(res.headers.location!);
    expect(page.text).toContain('5 件のコードを登録しました');
    expect(page.text).toMatch(
      /楽天Edy<\/td><td><code translate="no">edy<\/code><\/td>\s*<td class="num">3<\/td>/,
    );
    const audit = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('staff_id', '=', staff.id)
      .where('action', '=', 'pool.upload')
      .execute();
    expect(audit).toEqual([
      { action: 'pool.upload', details: { inserted: { edy: 3, nanaco: 2 }, total: 5 } },
    ]);
    // The upload is not kept: gift codes are money.
    expect(readdirSync(uploadTempDir())).toEqual([]);
  });

  it('when a file has bad lines, then each is reported with its line number and nothing of the file is stored', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const taken = codes('amazon', 1)[0]!;
    await upload(ops, campaign, `brand,code\n${taken}\n`);
    const dup = codes('edy', 1)[0]!;
    const csv = [
      'brand,code',
      codes('edy', 1)[0], // 2: fine
      'waon,WAON-1234-5678', // 3: not a brand of the campaign
      'edy,ab', // 4: too short
      dup, // 5
      dup, // 6: repeats line 5
      taken, // 7: already stored
      'edy,X-1,extra', // 8: three columns
      'nanaco,ＮＡＮＡＣＯ－ＡＢＣＤ－１２３４', // 9: full-width is normalised, fine
    ].join('\n');
    const res = await upload(ops, campaign, csv);
    expect(res.status).toBe(400);
    expect(res.text).toContain('ファイルに誤りが 5 件あるため、コードは1件も登録していません');
    const rows = [...res.text.matchAll(/<tr><td class="num">(\d+)<\/td><td>([^<]+)<\/td><\/tr>/g)].map(
      (m) => [Number(m[1]), m[2]],
    );
    expect(rows).toEqual([
      [3, '「waon」はこのキャンペーンの電子マネーの種類ではありません（edy / amazon / nanaco のいずれか）'],
      [4, 'コードの形式が正しくありません（英数字とハイフンで4〜64文字、先頭と末尾は英数字）'],
      [6, '5行目と同じコードです（ファイル内の重複）'],
      [7, '既に登録済みのコードです'],
      [8, '列の数が 3 です（brand,code の2列が必要です）'],
    ]);
    expect(res.text).not.toContain(dup.split(',')[1]); // codes are never echoed
    expect(await stored(campaign)).toHaveLength(1);
  });

  it('when the header is wrong or the file is empty, then it is refused with a message', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const wrong = await upload(ops, campaign, 'code,amount\nEDY-1234-5678,500\n');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('見出し行は「brand,code」の2列にしてください');
    const none = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/pools`)
      .field('_csrf', await ops.token(`/ops/campaigns/${campaign.id}/pools`));
    expect(none.status).toBe(400);
    expect(none.text).toContain('コードのCSVファイル（brand,code）を選んでください');
    const sjis = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/pools`)
      .field('_csrf', await ops.token(`/ops/campaigns/${campaign.id}/pools`))
      .attach('file', Buffer.from([0x62, 0x72, 0x61, 0x6e, 0x64, 0x2c, 0x83, 0x52, 0x0a]), 'x.csv');
    expect(sjis.status).toBe(400);
    expect(sjis.text).toContain('UTF-8 として読めません');
    expect(await stored(campaign)).toHaveLength(0);
  });

  it('when the campaign issues codes through the vendor, then there is no pool to upload to', async () => {
    const { ops } = await supervisor();
    const campaign = await buildVendorCampaign(deps);
    const page = await ops.get(`/ops/campaigns/${campaign.id}/pools`);
    expect(page.text).toContain('発行元のAPIで発行するため');
    const res = await upload(ops, campaign, ['brand,code', ...codes('edy', 1)].join('\n'));
    expect(res.status).toBe(400);
    expect(await stored(campaign)).toHaveLength(0);
  });

  it('when the token is missing, then the upload is refused and its file removed', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const res = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/pools`)
      .attach('file', Buffer.from(['brand,code', ...codes('edy', 1)].join('\n')), 'codes.csv');
    expect(res.status).toBe(403);
    expect(await stored(campaign)).toHaveLength(0);
    expect(readdirSync(uploadTempDir())).toEqual([]);
  });

  it('when free codes fall below the threshold, then a low-stock alert is raised, shown, and resolved by a refill', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 101);
    expect(await checkPoolStock(deps, { campaignId: campaign.id })).toEqual([]);
    const c = await buildCustomer(deps, campaign);
    await redeem(deps, campaign, c.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' });
    await redeem(deps, campaign, (await buildCustomer(deps, campaign)).id, {
      option: 'emoney',
      brand: 'edy',
      dataChoice: 'none',
    });
    // edy: 99 free of 101 < 100
    const low = await checkPoolStock(deps, { campaignId: campaign.id });
    expect(low).toHaveLength(1);
    expect(low[0]!.low.map((s) => [s.brand, s.free, s.allocated, s.threshold])).toEqual([
      ['edy', 99, 2, 100],
    ]);
    expect((await openAlert(campaign))?.message).toBe(
      `${campaign.slug}: 電子マネーギフトのコードの在庫が少なくなっています — 楽天Edy 残り 99 件（しきい値 100 件）。コードを追加してください。`,
    );
    const page = await ops.get(`/ops/campaigns/${campaign.id}/pools`);
    expect(page.text).toContain('在庫が少なくなっています');
    expect(page.text).toContain('残りわずか');
    // The banner on every console page.
    expect((await ops.get('/ops')).text).toContain('楽天Edy 残り 99 件');

    const refill = await upload(ops, campaign, ['brand,code', ...codes('edy', 5)].join('\n'));
    expect(refill.status).toBe(303);
    expect(await openAlert(campaign)).toBeUndefined();
  });

  it('when a campaign is not open, then its stock raises no alert', async () => {
    const campaign = await buildCampaign(deps);
    await deps.db.updateTable('campaigns').set({ state: 'draft' }).where('id', '=', campaign.id).execute();
    expect(await checkPoolStock(deps, { campaignId: campaign.id })).toEqual([]);
    expect(await openAlert(campaign)).toBeUndefined();
  });

  it('when two uploads of the same codes race, then exactly one stores them', async () => {
    const campaign = await buildCampaign(deps);
    const staff = await buildStaff(deps, 'supervisor');
    const row = (await findCampaignById(deps.db, campaign.id))!;
    const csv = ['brand,code', ...codes('edy', 50)].join('\n');
    const results = await Promise.all(
      [1, 2].map(() =>
        uploadPoolCodes(deps, { campaign: row, staffId: staff.id, file: Readable.from([Buffer.from(csv)]) }),
      ),
    );
    expect(results.map((r) => r.accepted).sort()).toEqual([false, true]);
    expect(await stored(campaign)).toHaveLength(50);
  });

  test.prop([fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 })])(
    'when stock is anything, then the threshold is at least 100 and at least 10% of all codes',
    (free, allocated) => {
      const t = lowStockThreshold({ free, allocated });
      expect(t).toBeGreaterThanOrEqual(100);
      expect(t).toBeGreaterThanOrEqual((free + allocated) / 10);
      expect(t).toBeLessThanOrEqual(Math.max(100, (free + allocated) / 10 + 1));
    },
  );

  test.prop([fc.array(fc.string(), { maxLength: 4 })])(
    'when any row is parsed, then it is a row of a known brand with a well-formed code, or an error with its line',
    (fields) => {
      const r = parsePoolRow({ line: 7, fields }, { brand: 0, code: 1 }, ['edy']);
      if ('message' in r) expect(r.line).toBe(7);
      else
        expect(r).toMatchObject({
          brand: 'edy',
          code: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/),
        });
    },
  );
});
