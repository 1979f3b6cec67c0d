import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { importCustomers } from '../src/imports/import.service.js';
import { importUploadKey, lettersKey } from '../src/imports/import-runs.files.js';
import { uploadTempDir } from '../src/operators/uploads.js';
import { findImportRun } from '../src/imports/import-runs.repo.js';
import { claimLettersDownload, releaseLettersDownload } from '../src/imports/import-runs.letters.js';
import { runImportRun, type ImportRunReport } from '../src/imports/import-runs.service.js';
import { keyedHash } from '../src/customers/codes.js';
import { runWorker } from '../jobs/worker.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign } from './support/factories.js';
import { useIsolatedServices, waitFor } from './support/isolated.js';
import { buildStaff, OpsBrowser, staffSessions, type TestStaff } from './support/ops.js';
import { storedKeys, storedText } from './support/stored.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-import-runs-'));
const deps = useTestDeps({}, { DATA_DIR: dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const app = createApp(deps);

const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';
let seq = 0;
/** A customer row with a name that must never reach a report, a log or the audit log. */
const row = (over: { name?: string; postal?: string } = {}) => {
  seq++;
  return [
    `ref-${Date.now()}-${seq}`,
    over.name ?? `秘密 花子${seq}`,
    'ヒミツ',
    '1980-04-01',
    over.postal ?? '100-0004',
    `東京都千代田区大手町1-${seq}`,
    '03-1234-5678',
    '',
    '',
    'name_gender_birth;address',
    '0',
  ].join(',');
};
const csvOf = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

const { supervisor } = staffSessions(app, deps);

async function upload(ops: OpsBrowser, campaign: Campaign, csv: string | Buffer, withToken = true) {
  const token = await ops.token(`/ops/campaigns/${campaign.id}/imports`);
  const req = ops.agent.post(`/ops/campaigns/${campaign.id}/imports`);
  if (withToken) req.field('_csrf', token);
  return req.attach('file', Buffer.from(csv), { filename: 'customers.csv', contentType: 'text/csv' });
}

const runsOf = (campaign: Campaign) =>
  deps.db
    .selectFrom('import_runs')
    .selectAll()
    .where('campaign_id', '=', campaign.id)
    .orderBy('id')
    .execute();

const lettersOf = (text: string) =>
  text
    .split('\r\n')
    .filter((l) => l !== '')
    .slice(1)
    .map((l) => l.split(','));

async function uploaded(ops: OpsBrowser, staff: TestStaff, campaign: Campaign, csv: string) {
  const res = await upload(ops, campaign, csv);
  expect(res.status).toBe(303);
  const [run] = await runsOf(campaign);
  expect(res.headers.location).toBe(`/ops/campaigns/${campaign.id}/imports#run-${run!.id}`);
  expect(run).toMatchObject({ state: 'queued', started_by: staff.id });
  return run!;
}

describe('customer imports from the console', () => {
  it('when a CSV is uploaded, then a queued run, its job intent (ids only) and an audit entry are written, and the file is stored encrypted', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const csv = csvOf([row(), row(), row()]);
    const run = await uploaded(ops, staff, campaign, csv);
    expect(run.report).toEqual({ expectedRows: 3 });
    const intent = await deps.db
      .selectFrom('outbox')
      .select(['queue', 'job_name', 'job_id', 'payload'])
      .where('job_id', '=', `import-customers-${run.id}`)
      .executeTakeFirstOrThrow();
    expect(intent).toEqual({
      queue: 'imports',
      job_name: 'import-customers',
      job_id: `import-customers-${run.id}`,
      payload: { importRunId: run.id },
    });
    const file = importUploadKey(campaign.id, run.id);
    expect(await storedText(deps.store, file, true)).toBe(csv);
    expect(readdirSync(uploadTempDir())).toEqual([]);
    const audit = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'details'])
      .where('staff_id', '=', staff.id)
      .where('action', 'like', 'campaign.%')
      .execute();
    expect(audit).toEqual([
      {
        action: 'campaign.import_upload',
        target_type: 'import_run',
        target_id: run.id,
        details: { bytes: Buffer.byteLength(csv), expectedRows: 3 },
      },
    ]);
    const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
    expect(page.text).toContain('<meta http-equiv="refresh" content="2">');
    expect(page.text).toContain('待機中');
    expect(page.text).toContain('<progress');
  });

  it('when the job runs, then customers are imported, the report names lines only, the upload is deleted and the letters are stored encrypted', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const csv = csvOf([row(), row({ name: '機密 太郎', postal: '12' }), row(), row()]);
    const run = await uploaded(ops, staff, campaign, csv);

    const outcome = await runImportRun(deps, run.id);
    expect(outcome).toEqual({ runId: run.id, state: 'done', imported: 3, rowsRead: 4 });
    const done = (await findImportRun(deps.db, run.id))!;
    expect(done).toMatchObject({ state: 'done', rows_read: 4, imported: 3, finished_at: expect.any(Date) });
    const report = done.report as ImportRunReport;
    expect(report.expectedRows).toBe(4);
    expect(report.result).toMatchObject({ rowsRead: 4, imported: 3, badRowCount: 1 });
    expect(report.result!.badRows).toEqual([
      { line: 3, column: 'postal_code', message: '郵便番号は7桁の数字で入力してください' },
    ]);
    expect(JSON.stringify(done)).not.toMatch(/機密|秘密|大手町/);

    expect(await deps.store.exists(importUploadKey(campaign.id, run.id))).toBe(false);
    const letters = lettersKey({ campaignId: campaign.id, runId: run.id });
    expect(done.letters_file).toBe(letters);
    expect(lettersOf(await storedText(deps.store, letters, true))).toHaveLength(3);
    expect(await storedKeys(deps.store, `campaigns/${campaign.id}/`)).toEqual([letters]); // no part left

    // Retried after the end (a re-relayed job): nothing happens again.
    expect(await runImportRun(deps, run.id)).toEqual({ runId: run.id, skipped: true });

    const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
    expect(page.text).not.toContain('http-equiv="refresh"');
    expect(page.text).toContain('完了');
    expect(page.text).toMatch(
      /<td class="num">3<\/td><td>郵便番号（<code translate="no">postal_code<\/code>）<\/td><td>郵便番号は7桁/,
    );
    expect(page.text).toContain('手紙データをダウンロード（3 件・1回限り）');
  });

  it('when the letters are downloaded, then the file streams once, is deleted, and a second attempt says when and by whom', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const run = await uploaded(ops, staff, campaign, csvOf([row(), row()]));
    await runImportRun(deps, run.id);
    const letters = lettersKey({ campaignId: campaign.id, runId: run.id });

    const token = await ops.token(`/ops/campaigns/${campaign.id}/imports`);
    const first = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/imports/${run.id}/letters`)
      .type('form')
      .send({ _csrf: token })
      .buffer(true)
      .parse((res, cb) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => cb(null, body));
      });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/csv/);
    expect(first.headers['content-disposition']).toContain(`letters-${campaign.slug}-run${run.id}.csv`);
    const body = first.body as string;
    expect(body.startsWith('\uFEFFregistration_code,login_key,full_name')).toBe(true); // UTF-8 with BOM
    const lines = lettersOf(body);
    expect(lines).toHaveLength(2);
    // The keys in the file are the ones the customers log in with.
    const stored = await deps.db
      .selectFrom('customers')
      .select(['registration_code', 'login_key_hash'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    for (const [code, key] of lines) {
      const c = stored.find((s) => s.registration_code === code!.replace(/-/g, ''))!;
      expect(c.login_key_hash.equals(keyedHash(deps.config.LOGIN_KEY_PEPPER, key!.replace(/-/g, '')))).toBe(
        true,
      );
    }
    // Deleted once the last byte has gone out (the response may end a moment before).
    await waitFor(async () => !(await deps.store.exists(letters)), 5_000, 'the letters file deleted');
    expect((await findImportRun(deps.db, run.id))!.letters_downloaded_at).toBeInstanceOf(Date);

    const second = await ops.post(
      `/ops/campaigns/${campaign.id}/imports/${run.id}/letters`,
      {},
      `/ops/campaigns/${campaign.id}/imports`,
    );
    expect(second.status).toBe(410);
    expect(second.text).toContain('ダウンロード済みです');
    expect(second.text).toContain(`supervisor テスト（${staff.username}）`);
    const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
    expect(page.text).toContain('ダウンロード済み');
    expect(page.text).not.toContain('手紙データをダウンロード（');

    const exports = await deps.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('action', '=', 'campaign.letters_export')
      .where('target_id', '=', run.id)
      .execute();
    expect(exports).toEqual([
      { action: 'campaign.letters_export', target_id: run.id, details: { letters: 2 } },
    ]);
  });

  it('when the uploaded file is not a customer CSV, then it is refused at once without a run and without personal data in the message', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const headerless = `${row({ name: '漏洩 一郎' })}\n${row()}\n`;
    const res = await upload(ops, campaign, headerless);
    expect(res.status).toBe(400);
    expect(res.text).toContain('1行目: 見出し行の列が正しくありません');
    expect(res.text).toContain('必要な列: customer_ref, full_name');
    expect(res.text).not.toContain('漏洩');
    const empty = await upload(ops, campaign, '');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('ファイルが空です');
    const none = await ops.agent
      .post(`/ops/campaigns/${campaign.id}/imports`)
      .field('_csrf', await ops.token(`/ops/campaigns/${campaign.id}/imports`));
    expect(none.status).toBe(400);
    expect(none.text).toContain('顧客CSVファイルを選んでください');
    expect(await runsOf(campaign)).toEqual([]);
    expect(readdirSync(uploadTempDir())).toEqual([]);
  });

  it('when the token is missing, then the upload is refused and its file removed', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const res = await upload(ops, campaign, csvOf([row()]), false);
    expect(res.status).toBe(403);
    expect(await runsOf(campaign)).toEqual([]);
    expect(readdirSync(uploadTempDir())).toEqual([]);
  });

  it('when the file breaks off mid-way, then the run fails with the line and no personal data, and the upload is deleted', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const good = Array.from({ length: 5 }, () => row());
    // An unclosed quote on the last line: the file cannot be read from there on (nothing of the
    // last, unwritten batch is imported).
    const run = await uploaded(ops, staff, campaign, `${HEADER}\n${good.join('\n')}\n"ref-x,壊れた 行\n`);
    const outcome = await runImportRun(deps, run.id);
    expect(outcome).toMatchObject({ state: 'failed', imported: 0 });
    const failed = (await findImportRun(deps.db, run.id))!;
    expect((failed.report as ImportRunReport).error).toBe('7行目: 引用符（"）が閉じられていません');
    expect(JSON.stringify(failed.report)).not.toContain('壊れた');
    expect(failed.letters_file).toBeNull();
    expect(await storedKeys(deps.store, `campaigns/${campaign.id}/`)).toEqual([]);
    const page = (await ops.get(`/ops/campaigns/${campaign.id}/imports`)).text;
    expect(page).toContain('失敗');
    expect(page).toContain('7行目: 引用符（&#34;）が閉じられていません');
  });

  it('when a worker died part-way, then the retried job keeps the committed letters, drops the rest, and finishes with one letter per customer', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    // The first name looks like a formula: guarded once in the letter, and still once after the rewrite.
    const rows = Array.from({ length: 12 }, (_, i) => row(i === 0 ? { name: '=見本 数式' } : {}));
    const run = await uploaded(ops, staff, campaign, csvOf(rows));

    // What the dead worker left: the run marked running, the first 5 customers committed with their
    // letters, then letters of a batch that never committed and a line cut in half.
    await deps.db.updateTable('import_runs').set({ state: 'running' }).where('id', '=', run.id).execute();
    const letters = lettersKey({ campaignId: campaign.id, runId: run.id });
    const out = new PassThrough();
    const written = buffer(out);
    await importCustomers(
      { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER },
      {
        campaignId: campaign.id,
        leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
        input: Readable.from([Buffer.from(csvOf(rows.slice(0, 5)))]),
        letters: out,
      },
    );
    out.end();
    const left = 'ZZZZ-ZZZZ-ZZZZ,AAAA-BBBB-CCCC-DDDD,幻 の人,100-0004,東京都,0\r\n"QQQQ-QQQQ,半分';
    await deps.store.put(letters, Buffer.concat([await written, Buffer.from(left)]), { sensitive: true });

    const outcome = await runImportRun(deps, run.id);
    expect(outcome).toEqual({ runId: run.id, state: 'done', imported: 12, rowsRead: 12 });
    const text = await storedText(deps.store, letters, true);
    const lines = lettersOf(text);
    expect(text.match(/registration_code,login_key/g)).toHaveLength(1);
    expect(text.startsWith('\uFEFFregistration_code,')).toBe(true);
    expect(lines.filter((l) => l[2] === "'=見本 数式")).toHaveLength(1);
    expect(text).not.toContain("''=");
    expect(lines).toHaveLength(12);
    expect(text).not.toContain('ZZZZ');
    expect(text).not.toContain('QQQQ');
    const codes = await deps.db
      .selectFrom('customers')
      .select('registration_code')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(lines.map((l) => l[0]!.replace(/-/g, '')).sort()).toEqual(
      codes.map((c) => c.registration_code).sort(),
    );
    const result = ((await findImportRun(deps.db, run.id))!.report as ImportRunReport).result!;
    expect(result).toMatchObject({ imported: 12, alreadyImported: 0 });
  });

  it('when ids name nothing, then the pages answer 404', async () => {
    const { ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    expect((await ops.get('/ops/campaigns/999999999/imports')).status).toBe(404);
    expect((await ops.get('/ops/campaigns/abc/imports')).status).toBe(404);
    const res = await ops.post(
      `/ops/campaigns/${campaign.id}/imports/999999999/letters`,
      {},
      `/ops/campaigns/${campaign.id}/imports`,
    );
    expect(res.status).toBe(404);
    expect(await runImportRun(deps, '999999999')).toEqual({ runId: '999999999', skipped: true });
  });
});

describe('the letters download, interrupted', () => {
  it('when a transfer breaks off, then the claim is given back (and audited) and the letters can be downloaded again', async () => {
    const { staff, ops } = await supervisor();
    const campaign = await buildCampaign(deps);
    const run = await uploaded(ops, staff, campaign, csvOf([row()]));
    await runImportRun(deps, run.id);
    const input = { campaignId: campaign.id, runId: run.id, staffId: staff.id };
    const claim = await claimLettersDownload(deps, input);
    expect(claim).toMatchObject({ kind: 'ok', imported: 1 });
    expect(await claimLettersDownload(deps, input)).toMatchObject({ kind: 'already' });
    if (claim.kind !== 'ok') return;
    await releaseLettersDownload(deps, { ...input, claimedAt: claim.claimedAt, reason: 'ECONNRESET' });
    expect(await claimLettersDownload(deps, input)).toMatchObject({ kind: 'ok' });
    const actions = await deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'import_run')
      .where('target_id', '=', run.id)
      .where('staff_id', '=', staff.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'campaign.import_upload',
      'campaign.letters_export',
      'campaign.letters_export_interrupted',
      'campaign.letters_export',
    ]);
  });
});

describe('the import job on a worker', () => {
  const iso = useIsolatedServices({ WORKER_LOCK_MS: '2000' });

  it('when a CSV is uploaded, then the worker picks the intent up and the page shows the finished run', async () => {
    const stopWorker = await runWorker(iso.config, { concurrency: 2 });
    try {
      const isoApp = createApp(iso.deps);
      const staff = await buildStaff(iso.deps, 'supervisor');
      const ops = await new OpsBrowser(isoApp).signIn(staff);
      const campaign = await buildCampaign(iso.deps);
      const token = await ops.token(`/ops/campaigns/${campaign.id}/imports`);
      const res = await ops.agent
        .post(`/ops/campaigns/${campaign.id}/imports`)
        .field('_csrf', token)
        .attach('file', Buffer.from(csvOf([row(), row(), row()])), 'customers.csv');
      expect(res.status).toBe(303);
      await waitFor(
        async () =>
          (await iso.deps.db.selectFrom('import_runs').select('state').executeTakeFirst())?.state === 'done',
        30_000,
        'the import run done',
      );
      const page = await ops.get(`/ops/campaigns/${campaign.id}/imports`);
      expect(page.text).toContain('手紙データをダウンロード（3 件・1回限り）');
      expect(await storedKeys(iso.deps.store, `campaigns/${campaign.id}/imports/`)).toEqual([]);
    } finally {
      await stopWorker();
    }
  }, 60_000);
});
