import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { runImportRun } from '../src/imports/import-runs.service.js';
import { importCustomers } from '../src/imports/import.service.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign } from './support/factories.js';
import { staffSessions } from './support/ops.js';

/**
 * The customer CSV import uses the same address normaliser as the customer's form (kanji block
 * numbers, full-width digits, dashes, 〒), and a postal code of another prefecture than the address
 * is counted as a warning in the report: the row is imported, the import goes on.
 */

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-import-address-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const { supervisor } = staffSessions(createApp(deps), deps);
const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';

const row = (ref: string, postalCode: string, address: string) =>
  [ref, `見本 ${ref}`, 'ミホン', '1980-04-01', postalCode, address, '', '', '', 'address', '0'].join(',');

async function runImport(campaign: Campaign, lines: string[]) {
  let letters = '';
  const report = await importCustomers(
    { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from([Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8')]),
      letters: new Writable({
        write(chunk: Buffer, _enc, cb) {
          letters += chunk.toString('utf8');
          cb();
        },
      }),
    },
  );
  return { report, letters };
}

const storedOf = async (campaign: Campaign) =>
  (
    await deps.pool.query<{ customer_ref: string; postal_code: string; address: string }>(
      `select p.customer_ref, p.postal_code, p.address from customer_personal p
        where p.campaign_id = $1 order by p.customer_ref`,
      [campaign.id],
    )
  ).rows;

describe('addresses in the customer import', () => {
  it('when addresses have kanji block numbers and postal codes full-width digits or 〒, then they are imported normalised', async () => {
    const campaign = await buildCampaign(deps);
    const { report, letters } = await runImport(campaign, [
      row('A1', '〒１００－００１３', '東京都千代田区霞が関一丁目一番一号'),
      row('A2', '100ー0004', '東京都千代田区大手町１ー２ー３　大手町ビル'),
      row('A3', '5100000', '三重県四日市市諏訪町二十三番地'),
      row('A4', '4910000', '愛知県一宮市本町四丁目五番六号'),
    ]);

    expect(report).toMatchObject({ rowsRead: 4, imported: 4, badRowCount: 0, addressWarningCount: 0 });
    expect(await storedOf(campaign)).toEqual([
      { customer_ref: 'A1', postal_code: '1000013', address: '東京都千代田区霞が関1丁目1番1号' },
      { customer_ref: 'A2', postal_code: '1000004', address: '東京都千代田区大手町1-2-3 大手町ビル' },
      { customer_ref: 'A3', postal_code: '5100000', address: '三重県四日市市諏訪町23番地' },
      { customer_ref: 'A4', postal_code: '4910000', address: '愛知県一宮市本町4丁目5番6号' },
    ]);
    // The letter print file shows the same, normalised address.
    expect(letters).toContain('東京都千代田区霞が関1丁目1番1号');
    expect(letters).not.toContain('一丁目');
  });

  it('when a postal code is of another prefecture than its address, then the row is imported and counted as a warning', async () => {
    const campaign = await buildCampaign(deps);
    const { report } = await runImport(campaign, [
      row('B1', '100-0004', '東京都千代田区大手町1-1'),
      row('B2', '100-0004', '大阪府大阪市北区梅田1-2-3'),
      row('B3', '530-0001', '大阪府大阪市北区梅田1-2-3'),
      row('B4', '060-0001', '東京都千代田区大手町1-1'),
      row('B5', '9999999', '大阪府大阪市北区梅田1-2-3'), // not in Japan Post's list: cannot be checked
      row('B6', '1000004', ''), // a bad row stays a bad row, not a warning
    ]);

    expect(report).toMatchObject({ rowsRead: 6, imported: 5, badRowCount: 1, addressWarningCount: 2 });
    expect(report.addressWarnings).toEqual([
      {
        line: 3,
        column: 'postal_code',
        message: '郵便番号の都道府県と住所の都道府県が一致しません。宛先をご確認ください',
      },
      {
        line: 5,
        column: 'postal_code',
        message: '郵便番号の都道府県と住所の都道府県が一致しません。宛先をご確認ください',
      },
    ]);
    // The report names lines and columns, never the customer's address.
    expect(JSON.stringify(report)).not.toContain('大阪府');
    expect((await storedOf(campaign)).map((r) => r.customer_ref)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5']);
  });

  it('when a run from the console has such rows, then its page counts and lists them by line', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const csv = [
      HEADER,
      row('C1', '100-0004', '東京都千代田区大手町1-1'),
      row('C2', '100-0004', '大阪府大阪市北区梅田1-2-3'),
    ];
    const token = await ops.token(`/ops/campaigns/${campaign.id}/imports`);
    const upload = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/imports`)
      .field('_csrf', token)
      .attach('file', Buffer.from(csv.join('\n')), { filename: 'customers.csv', contentType: 'text/csv' });
    expect(upload.status).toBe(303);
    const run = await deps.db
      .selectFrom('import_runs')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(await runImportRun(deps, run.id)).toMatchObject({ state: 'done', imported: 2 });

    const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
    expect(page.text).toMatch(
      /<dt>郵便番号と住所の都道府県が合わない行（取り込み済み・要確認）<\/dt><dd>1<\/dd>/,
    );
    expect(page.text).toMatch(/<td class="num">3<\/td><td>郵便番号の都道府県と住所の都道府県が一致しません/);
  });
});
