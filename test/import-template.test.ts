import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { checkCustomerCsvHeader } from '../src/imports/import-runs.files.js';
import { csvRecords, type CsvRecord } from '../src/platform/csv-records.js';
import { CUSTOMER_CSV_COLUMNS } from '../src/imports/customer-csv.schema.js';
import { importCustomers } from '../src/imports/import.service.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign } from './support/factories.js';
import { staffSessions, type OpsBrowser } from './support/ops.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-import-template-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const app = createApp(deps);

const { supervisor } = staffSessions(app, deps);

/** The download as bytes, so that the BOM is seen as the file has it. */
async function download(ops: OpsBrowser, campaign: Campaign, name: string) {
  const res = await ops
    .get(`/ops/campaigns/${campaign.id}/imports/${name}`)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
  return { res, bytes: res.body as Buffer };
}

/** Every record, as the import reads them (its own streaming parser). */
async function records(bytes: Buffer): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const chunk of csvRecords(Readable.from([bytes]))) out.push(...chunk);
  return out;
}

/** Runs the import itself on the bytes (letters thrown away). */
const importInto = (campaign: Campaign, bytes: Buffer) =>
  importCustomers(
    { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from([bytes]),
      letters: new Writable({ write: (_c, _e, cb) => cb() }),
    },
  );

const BOM = [0xef, 0xbb, 0xbf];

describe('the customer CSV template and sample on the import page', () => {
  it('when the import page is opened, then it links the template and the sample', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
    expect(page.text).toContain(`href="/ops/campaigns/${campaign.id}/imports/template.csv"`);
    expect(page.text).toContain(`href="/ops/campaigns/${campaign.id}/imports/sample.csv"`);
  });

  it('when the template is downloaded, then it is the header row only, UTF-8 with BOM, and the upload check and the import accept it', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const { res, bytes } = await download(ops, campaign, 'template.csv');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?customer-csv-template\.csv"?$/,
    );
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);
    expect(bytes.toString('utf8')).toBe(`\uFEFF${CUSTOMER_CSV_COLUMNS.join(',')}\r\n`);

    const file = path.join(dataDir, 'template.csv');
    writeFileSync(file, bytes);
    expect(await checkCustomerCsvHeader(file)).toBeNull();
    const report = await importInto(campaign, bytes);
    expect(report).toMatchObject({ rowsRead: 0, imported: 0, badRowCount: 0 });
  });

  it('when the sample is downloaded, then it shows every column (household JSON, ;-separated leaked items) and imports into the campaign without a bad row', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const { res, bytes } = await download(ops, campaign, 'sample.csv');
    expect(res.headers['content-disposition']).toContain(`customer-csv-sample-${campaign.slug}.csv`);
    expect([...bytes.subarray(0, 3)]).toEqual(BOM);

    const [header, ...rows] = await records(bytes);
    expect(header!.fields).toEqual([...CUSTOMER_CSV_COLUMNS]);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => !r.error && r.fields.length === CUSTOMER_CSV_COLUMNS.length)).toBe(true);
    const column = (name: string) => rows.map((r) => r.fields[CUSTOMER_CSV_COLUMNS.indexOf(name as never)]!);
    for (const name of CUSTOMER_CSV_COLUMNS)
      expect(
        column(name).some((v) => v !== ''),
        `${name} is shown`,
      ).toBe(true);
    const households = column('household').filter((v) => v.startsWith('['));
    expect(households.some((h) => (JSON.parse(h) as unknown[]).length >= 2)).toBe(true);
    const keys = campaign.def.leakedItems.map((i) => i.key);
    expect(column('leaked_items').some((v) => v.split(';').length >= 2)).toBe(true);
    for (const v of column('leaked_items')) expect(v.split(';').every((k) => keys.includes(k))).toBe(true);

    const report = await importInto(campaign, bytes);
    expect(report.badRows).toEqual([]);
    expect(report).toMatchObject({
      rowsRead: rows.length,
      imported: rows.length,
      badRowCount: 0,
      likelyDuplicateCount: 0,
    });
  });

  it('when a campaign id names nothing, then the downloads answer 404', async () => {
    const { ops } = await supervisor();
    expect((await ops.get('/ops/campaigns/999999999/imports/template.csv')).status).toBe(404);
    expect((await ops.get('/ops/campaigns/abc/imports/sample.csv')).status).toBe(404);
  });
});
