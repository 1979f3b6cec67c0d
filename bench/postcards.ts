/**
 * `npm run bench:postcards -- [--customers 1000000] [--csv-cards 100000] [--csv-files 10]
 *   [--cards 2000] [--clerks 8] [--ephemeral] [--keep]`
 *
 * Starts its own PostgreSQL (durable settings unless --ephemeral), seeds a campaign with
 * 1,000,000 customers (valid codes, set-based), and runs the service in this process (createApp,
 * NODE_ENV=test (view cache on), listening on 127.0.0.1). Everything goes through HTTP as a signed-in clerk:
 *
 * 1. CSV intake: 100,000 OCR'd cards in `--csv-files` uploads (multipart, one batch each), every
 *    outcome mixed in. cards_per_s = cards / wall time of the upload requests.
 * 2. Single-card entry by one clerk, card after card as the screen does it: POST check (the
 *    masked name, audited) → POST entries (save; 303) → GET the entry screen. p50_ms / p99_ms are
 *    of the save request; the check, the screen and the whole card are reported beside it.
 * 3. The same with `--clerks` clerks at once (each on their own batch).
 *
 * The load client shares this process and its cores with the server. The last line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { saveCampaignDefinition } from '../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { Secret, TOTP } from 'otpauth';
import { totpBoxFor } from '../src/operators/staff-crypto.js';
import { createStaff } from '../src/operators/staff.service.js';
import { storeTotpSecret } from '../src/operators/staff-totp.service.js';
import { newTotpSecret } from '../src/operators/staff-totp.js';
import { parseConfig } from '../src/platform/config.js';
import { generateSecrets } from '../dev/local/environment.js';
import { createDb, createPool } from '../src/platform/db.js';
import { createApp } from '../src/app/create-app.js';
import { startEmbeddedPostgres, type LocalService } from '../dev/local/services.js';
import { createLogger } from '../src/platform/logger.js';
import { migrateToLatest } from '../src/platform/migrate.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import { benchCard, csvFile, entryForm } from './lib/postcards-cards.js';
import { hidden, OpsClient, percentile, round1, tokenOf } from './lib/postcards-client.js';
import { seedPostcardCustomers, seedWebRedemptions } from './lib/postcards-seed.js';
import { systemCpuSeconds, treeCpuSeconds, waitForQuiet } from './lib/procfs.js';

const { values: flags } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    'csv-cards': { type: 'string', default: '100000' },
    'csv-files': { type: 'string', default: '10' },
    cards: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    clerks: { type: 'string', default: '8' },
    'quiet-wait': { type: 'string', default: '120' },
    ephemeral: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const num = (name: keyof typeof flags, min: number) => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
};
const opts = {
  customers: num('customers', 1),
  csvCards: num('csv-cards', 1),
  csvFiles: num('csv-files', 1),
  cards: num('cards', 1),
  warmup: num('warmup', 0),
  clerks: num('clerks', 0),
  quietWaitS: num('quiet-wait', 0),
};
if (opts.csvCards + opts.warmup + opts.cards * 2 + opts.clerks > opts.customers)
  throw new Error('--customers must cover the CSV cards, the warm-up and both entry phases');

const log = (msg: string) => console.log(`[bench:postcards] ${msg}`);
const DAY = 86400_000;
const postmarks = { inTime: jstDay(new Date(Date.now() - 2 * DAY)), late: jstDay(new Date()) };

const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-postcards-'));
chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
let pg: LocalService | undefined;
let closeServer: (() => Promise<void>) | undefined;

async function openBatch(client: OpsClient, slug: string, label: string, count: number): Promise<string> {
  const page = await client.get(`/ops/postcards/c/${slug}`);
  const res = await client.post(`/ops/postcards/c/${slug}/batches`, {
    _csrf: tokenOf(page.text),
    label,
    physicalCount: String(count),
  });
  if (res.status !== 303) throw new Error(`opening a batch failed: ${res.status}`);
  return /batches\/(\d+)$/.exec(res.location!)![1]!;
}

interface Timings {
  check: number[];
  save: number[];
  screen: number[];
  card: number[];
}

/** One clerk keys `cards` into a fresh batch exactly as the entry screen does. */
async function keyCards(
  client: OpsClient,
  slug: string,
  cards: ReturnType<typeof benchCard>[],
  skip: number,
) {
  const t: Timings = { check: [], save: [], screen: [], card: [] };
  const batchId = await openBatch(client, slug, `entry ${randomBytes(3).toString('hex')}`, cards.length);
  const page = `/ops/postcards/batches/${batchId}`;
  let screen = await client.get(page);
  for (const [i, card] of cards.entries()) {
    const check = await client.post(`${page}/check`, { _csrf: tokenOf(screen.text), code: card.code });
    if (check.status !== 200) throw new Error(`check failed: ${check.status}`);
    const save = await client.post(`${page}/entries`, {
      ...entryForm(card),
      _csrf: tokenOf(check.text),
      code: hidden(check.text, 'code'),
      seq: hidden(check.text, 'seq'),
      keying: hidden(check.text, 'keying'),
    });
    if (save.status !== 303) throw new Error(`save failed: ${save.status} ${save.text.slice(0, 300)}`);
    screen = await client.get(save.location!);
    if (screen.status !== 200) throw new Error(`entry screen failed: ${screen.status}`);
    if (i < skip) continue;
    t.check.push(check.ms);
    t.save.push(save.ms);
    t.screen.push(screen.ms);
    t.card.push(check.ms + save.ms + screen.ms);
  }
  return t;
}

/**
 * Runs a phase once the machine is quiet (other work shares these cores), and reports how many
 * cores other processes used meanwhile: this process and its PostgreSQL are not counted.
 */
async function phase<T>(name: string, run: () => Promise<T>): Promise<{ value: T; otherCores: number }> {
  const busyBefore = await waitForQuiet(0.3, opts.quietWaitS * 1000);
  if (busyBefore > 0.3) log(`${name}: the machine is still busy (${busyBefore} cores) — measuring anyway`);
  const [sys0, own0, t0] = [systemCpuSeconds(), treeCpuSeconds(process.pid), performance.now()];
  const value = await run();
  const seconds = (performance.now() - t0) / 1000;
  const [sys1, own1] = [systemCpuSeconds(), treeCpuSeconds(process.pid)];
  const otherCores = round1((sys1.busy - sys0.busy - (own1 - own0)) / seconds);
  log(`${name}: other processes used ${otherCores} cores meanwhile`);
  return { value, otherCores };
}

const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round1(percentile(s, 50)), p99: round1(percentile(s, 99)), max: round1(s.at(-1) ?? NaN) };
};

try {
  log(`PostgreSQL (${flags.ephemeral ? 'ephemeral' : 'durable'} settings) in ${root}`);
  pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), ephemeral: flags.ephemeral });
  const pool = createPool(pg.url, 20);
  const db = createDb(pool);
  await migrateToLatest(db as never);
  const campaign = await saveCampaignDefinition(db, {
    ...demoCampaignDefinition(new Date(), 'bench-postcards'),
    deadline: jstDay(new Date(Date.now() - DAY)), // cards postmarked today are late
    purgeDeadline: jstDay(new Date(Date.now() + 120 * DAY)),
  });

  let t0 = performance.now();
  const codes = await seedPostcardCustomers(pool, campaign.id, opts.customers);
  const seedSeconds = (performance.now() - t0) / 1000;
  const webRedeemed = await seedWebRedemptions(
    pool,
    campaign.id,
    codes.filter((_, i) => i % 50 === 25),
  );
  log(
    `seeded ${opts.customers} customers in ${seedSeconds.toFixed(1)} s; ${webRedeemed} redeemed on the web`,
  );

  const secret = () => randomBytes(32).toString('hex');
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    REDIS_URL: 'redis://127.0.0.1:1', // not used by the web pages measured here
    ...generateSecrets(),
    LOG_LEVEL: 'silent',
  });
  const app = createApp({ config, pool, db, logger: createLogger('silent'), now: () => new Date() });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const clients: OpsClient[] = [];
  for (let i = 0; i <= opts.clerks; i++) {
    const username = `bench-clerk-${i}`;
    const password = `pw-${secret()}`;
    const id = await createStaff(db, { username, displayName: `bench ${i}`, role: 'clerk', password });
    const totpSecret = newTotpSecret();
    await storeTotpSecret(db, totpBoxFor(config.TOTP_ENCRYPTION_KEY), id, totpSecret, null, new Date());
    const c = new OpsClient(baseUrl);
    const code = new TOTP({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30 }).generate();
    await c.signIn(username, password, code);
    clients.push(c);
  }
  const clerk = clients[0]!;

  // 1. CSV intake through the upload route.
  const perFile = Math.ceil(opts.csvCards / opts.csvFiles);
  const csvCards = codes.slice(0, opts.csvCards).map((_, i, all) => benchCard(i, all, postmarks));
  const csv = await phase('CSV intake', async () => {
    let ms = 0;
    let n = 0;
    for (let f = 0; f * perFile < csvCards.length; f++) {
      const cards = csvCards.slice(f * perFile, (f + 1) * perFile);
      const batchId = await openBatch(clerk, campaign.slug, `OCR ${f + 1}`, cards.length);
      const page = await clerk.get(`/ops/postcards/batches/${batchId}`);
      const form = new FormData();
      form.set('_csrf', tokenOf(page.text));
      form.set('file', new Blob([csvFile(cards)], { type: 'text/csv' }), `ocr-${f + 1}.csv`);
      const res = await clerk.request('POST', `/ops/postcards/batches/${batchId}/upload`, form);
      if (res.status !== 200)
        throw new Error(`upload ${f + 1} failed: ${res.status} ${res.text.slice(0, 400)}`);
      const got = Number(/のうち <strong>(\d+)<\/strong> 行を取り込みました/.exec(res.text)?.[1]);
      if (got !== cards.length) throw new Error(`upload ${f + 1} imported ${got} of ${cards.length}`);
      n += got;
      ms += res.ms;
      log(`upload ${f + 1}: ${cards.length} cards in ${Math.round(res.ms)} ms`);
    }
    return { ms, n };
  });
  const csvMs = csv.value.ms;
  const imported = csv.value.n;
  const outcomes = await db
    .selectFrom('postcard_entries')
    .select(['outcome', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('outcome')
    .execute();
  const csvOutcomes = Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)]));
  const cardsPerS = Math.round(imported / (csvMs / 1000));
  log(
    `CSV: ${imported} cards in ${(csvMs / 1000).toFixed(1)} s = ${cardsPerS} cards/s ${JSON.stringify(csvOutcomes)}`,
  );

  // 2. Single-card entry, one clerk.
  let base = opts.csvCards;
  const slice = (n: number) => {
    const part = codes.slice(base, base + n);
    base += n;
    return part.map((_, i, all) => benchCard(i, all, postmarks));
  };
  t0 = performance.now();
  const singlePhase = await phase('single-card entry', () =>
    keyCards(clerk, campaign.slug, slice(opts.warmup + opts.cards), opts.warmup),
  );
  const single = singlePhase.value;
  const singleSeconds = (performance.now() - t0) / 1000;
  const save = summary(single.save);
  log(`single clerk: save ${JSON.stringify(save)} ms, card ${JSON.stringify(summary(single.card))} ms`);

  // 3. Several clerks at once, each on a batch of their own.
  let crowd: ReturnType<typeof summary> | null = null;
  let crowdOther: number | null = null;
  if (opts.clerks > 0) {
    const per = Math.ceil(opts.cards / opts.clerks);
    const cards = clients.slice(1).map(() => slice(per));
    const runs = await phase(`${opts.clerks} clerks`, () =>
      Promise.all(
        clients.slice(1).map((c, i) => keyCards(c, campaign.slug, cards[i]!, Math.min(20, per - 1))),
      ),
    );
    crowd = summary(runs.value.flatMap((r) => r.save));
    crowdOther = runs.otherCores;
    log(`${opts.clerks} clerks at once: save ${JSON.stringify(crowd)} ms`);
  }

  const result = {
    bench: 'postcards',
    customers: opts.customers,
    durable: !flags.ephemeral,
    cpus: os.cpus().length,
    seed_s: round1(seedSeconds),
    csv_cards: imported,
    csv_files: Math.ceil(csvCards.length / perFile),
    csv_s: round1(csvMs / 1000),
    cards_per_s: cardsPerS,
    csv_outcomes: csvOutcomes,
    csv_other_cores: csv.otherCores,
    entry_cards: single.save.length,
    entry_path: 'HTTP: POST check → POST entries (timed) → GET screen',
    p50_ms: save.p50,
    p99_ms: save.p99,
    max_ms: save.max,
    check_ms: summary(single.check),
    screen_ms: summary(single.screen),
    card_ms: summary(single.card),
    entry_other_cores: singlePhase.otherCores,
    cards_per_min_one_clerk: Math.round((single.save.length + opts.warmup) / (singleSeconds / 60)),
    clerks: opts.clerks,
    clerks_save_ms: crowd,
    clerks_other_cores: crowdOther,
  };
  await closeServer();
  closeServer = undefined;
  await db.destroy();
  console.log(JSON.stringify(result));
} finally {
  await closeServer?.().catch(() => undefined);
  await pg?.stop().catch(() => undefined);
  if (!flags.keep) rmSync(root, { recursive: true, force: true });
  else log(`kept ${root}`);
}
