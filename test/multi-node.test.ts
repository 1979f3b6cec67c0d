import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CookieAccessInfo, type CookieJar } from 'cookiejar';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runWorker } from '../jobs/worker.js';
import { createApp } from '../src/app/create-app.js';
import { lettersKey } from '../src/imports/import-runs.files.js';
import { uploadTempDir } from '../src/operators/uploads.js';
import { parseConfig, type Config } from '../src/platform/config.js';
import { createDb, createPool } from '../src/platform/db.js';
import type { AppDeps } from '../src/platform/deps.js';
import { createLogger } from '../src/platform/logger.js';
import { addToOutbox } from '../src/platform/outbox/outbox.repo.js';
import { createObjectStore } from '../src/platform/storage/storage.config.js';
import { campaignPrefix } from '../src/platform/storage/storage.js';
import { purgeCampaign } from '../src/purge/purge.service.js';
import { startS3Server, type TestS3Server } from './storage-support/s3-server.js';
import { TEST_SECRETS } from './support/context.js';
import { buildCampaign, overrideAsSupervisor } from './support/factories.js';
import { useIsolatedServices, waitFor } from './support/isolated.js';
import { OpsBrowser, staffSessions } from './support/ops.js';
import { storedKeys } from './support/stored.js';
import { csrfFrom, CustomerBrowser } from './support/web.js';

/**
 * Web processes and workers keep nothing on their own disk: two web processes and a worker, each
 * with its own empty DATA_DIR, share only PostgreSQL, Redis and an S3 server (s3rver). What one
 * writes, another serves: the customer CSV uploaded on A is imported by the worker, its letters
 * download once on B, the manifest the worker writes downloads on A, and the purge (on yet another
 * process) finds and deletes every file of the campaign by listing the bucket.
 *
 * PostgreSQL and Redis are this file's own (a database on the test server, a Redis of its own): a
 * worker relays and runs every job it finds, so it must not see other files' rows.
 */
const iso = useIsolatedServices();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'owabi-multi-node-'));
let s3: TestS3Server;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  for (const [name, value] of Object.entries(s3.credentials)) vi.stubEnv(name, value);
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await s3?.stop();
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

/** One machine's configuration: its own empty DATA_DIR, the shared database, Redis and bucket. */
function nodeConfig(name: string): Config {
  return parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: iso.config.DATABASE_URL,
    REDIS_URL: iso.config.REDIS_URL!,
    ...TEST_SECRETS,
    DATA_DIR: mkdtempSync(path.join(scratch, `${name}-data-`)),
    // The audit chain's head export is a local file by design (outside PostgreSQL), kept apart here.
    AUDIT_HEAD_FILE: path.join(scratch, `${name}-audit-heads.log`),
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
  });
}

function nodeDeps(config: Config): AppDeps {
  const pool = createPool(config.DATABASE_URL, 4);
  const deps = { config, pool, db: createDb(pool), logger: createLogger('silent'), now: () => new Date() };
  closers.push(() => deps.db.destroy());
  return { ...deps, store: createObjectStore(config) };
}

/** The same operator's browser on another web process: the console session cookie goes along. */
function sameBrowserOn(app: Express, from: OpsBrowser): OpsBrowser {
  const to = new OpsBrowser(app);
  const jar = (b: OpsBrowser) => (b.agent as unknown as { jar: CookieJar }).jar;
  jar(to).setCookies(
    jar(from)
      .getCookies(CookieAccessInfo.All)
      .map((c) => c.toString()),
  );
  return to;
}

const HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';
const row = (n: number) =>
  `ref-mn-${n},分散 花子${n},ブンサン,1980-04-01,100-0004,東京都千代田区大手町1-${n},03-1234-5678,,,name_gender_birth;address,0`;
const CSV = `${HEADER}\n${[1, 2, 3].map(row).join('\n')}\n`;

/** The object's bytes as the bucket holds them, past Owabi's store. */
async function rawObject(key: string): Promise<Buffer> {
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true });
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await Body!.transformToByteArray());
  } finally {
    client.destroy();
  }
}

describe('two web processes and a worker sharing only PostgreSQL, Redis and S3', () => {
  it('when a CSV is uploaded on A, then the worker imports it, the letters download once on B, a card redeemed on B is cut by the worker, its manifest downloads on A, and the purge leaves nothing in the bucket', async () => {
    const [configA, configB, configWorker] = ['web-a', 'web-b', 'worker'].map(nodeConfig);
    const depsA = nodeDeps(configA!);
    const depsB = nodeDeps(configB!);
    const appA = createApp(depsA);
    const appB = createApp(depsB);
    const stopWorker = await runWorker(configWorker!, { concurrency: 2 });
    closers.push(stopWorker);

    // A supervisor uploads the customer CSV through web A.
    const campaign = await buildCampaign(iso.deps);
    const { ops: onA } = await staffSessions(appA, depsA).supervisor();
    const token = await onA.token(`/ops/campaigns/${campaign.id}/imports`);
    const upload = await onA.agent
      .post(`/ops/campaigns/${campaign.id}/imports`)
      .field('_csrf', token)
      .attach('file', Buffer.from(CSV), { filename: 'customers.csv', contentType: 'text/csv' });
    expect(upload.status).toBe(303);
    const runId = /#run-(\d+)$/.exec(upload.headers.location!)![1]!;

    // The worker imports it.
    const runState = async () =>
      (await iso.deps.db.selectFrom('import_runs').select('state').where('id', '=', runId).executeTakeFirst())
        ?.state;
    await waitFor(async () => (await runState()) === 'done', 30_000, 'the import run done');
    const raw = await rawObject(lettersKey({ campaignId: campaign.id, runId }));
    expect(raw.includes(Buffer.from('分散 花子1'))).toBe(false); // encrypted in the bucket
    expect(await storedKeys(depsB.store, `${campaignPrefix(campaign.id)}imports/`)).toEqual([]);

    // The letter print file downloads once through web B (same operator, same session).
    const onB = sameBrowserOn(appB, onA);
    const lettersUrl = `/ops/campaigns/${campaign.id}/imports/${runId}/letters`;
    const importsPage = `/ops/campaigns/${campaign.id}/imports`;
    const letters = await onB.agent
      .post(lettersUrl)
      .type('form')
      .send({ _csrf: csrfFrom((await onB.get(importsPage)).text) });
    expect(letters.status).toBe(200);
    const lines = letters.text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      '\uFEFFregistration_code,login_key,full_name,postal_code,address,household_count,verification_url',
    );
    expect(lines).toHaveLength(4);
    const again = await onA.post(lettersUrl, {}, importsPage);
    expect(again.status).toBe(410);

    // A customer logs in with the first letter and redeems a book card on web B.
    const [code, key] = lines[1]!.split(',');
    const customer = new CustomerBrowser(appB, campaign.slug);
    expect((await customer.login(code!, key!)).status).toBe(303);
    const choice = {
      option: 'book_card',
      dataChoice: 'none',
      addressAction: 'correct',
      postalCode: '5300001',
      address: '大阪府大阪市北区梅田1-2-3',
    };
    expect((await customer.confirm(choice)).status).toBe(200);
    await customer.complete(choice);
    expect((await customer.my()).text).toContain('発送の準備をしています');

    // The worker cuts the batch and writes its manifest; it downloads on web A.
    await addToOutbox(iso.deps.db, 'cut-batches', `cut-batches-${campaign.id}`, {});
    const batchOf = () =>
      iso.deps.db
        .selectFrom('shipping_batches')
        .select(['id', 'manifest_file'])
        .where('campaign_id', '=', campaign.id)
        .executeTakeFirst();
    await waitFor(async () => !!(await batchOf())?.manifest_file, 30_000, 'the batch cut with its manifest');
    const batch = (await batchOf())!;
    const manifest = await onA.get(`/ops/fulfilment/batches/${batch.id}/manifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.text).toContain('大阪府大阪市北区梅田1-2-3');

    // The campaign is purged (its card overridden) from a process that wrote none of its files.
    await overrideAsSupervisor(iso.deps, campaign);
    const redis = new Redis(iso.config.REDIS_URL!);
    closers.push(() => redis.quit());
    const purger = { ...nodeDeps(nodeConfig('purger')), redis };
    expect((await storedKeys(purger.store, campaignPrefix(campaign.id))).length).toBeGreaterThan(0);
    const report = await purgeCampaign(purger, campaign.id);

    expect(report.outcome).toBe('passed');
    expect(report.countsBefore.manifest_files).toBeGreaterThan(0);
    expect(report.countsAfter).toMatchObject({ manifest_files: 0, suppression_files: 0 });
    const storage = report.checks.find((c) => c.id === 'storage')!;
    expect(storage).toMatchObject({ status: 'passed' });
    expect(storage.detail).toContain('残っているファイル: 0 件');
    expect(await storedKeys(depsA.store, campaignPrefix(campaign.id))).toEqual([]);
    expect(await purger.store.exists(report.file!)).toBe(true);

    // Nothing of it on any process's own disk.
    for (const config of [configA, configB, configWorker]) expect(readdirSync(config!.DATA_DIR)).toEqual([]);
    expect(readdirSync(uploadTempDir())).toEqual([]);
  }, 120_000);
});
