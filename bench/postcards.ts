/**
 * `npm run bench:postcards -- [--customers 1000000] [--csv-cards 100000] [--csv-files 10]
 *   [--cards 2000] [--clerks 8] [--ephemeral] [--keep] [--node lts|current|PATH]`
 *
 * Runs on the production image's Node 24 unless --node says otherwise (the bench runs itself again
 * there: the service is in this process).
 * Starts its own PostgreSQL (durable settings unless --ephemeral), seeds a campaign with
 * 1,000,000 customers (valid codes, set-based, in chunks: 30,000,000 fit; the cards are of customers
 * picked at random from all of them), and runs the service in this process (createApp,
 * NODE_ENV=test (view cache on), listening on 127.0.0.1). Everything goes through HTTP as a signed-in clerk:
 *
 * 1. CSV intake: 100,000 OCR'd cards in `--csv-files` uploads (multipart, one batch each), every
 *    outcome mixed in. cards_per_s = cards / wall time of the upload requests.
 * 2. Single-card entry by one clerk, card after card as the screen does it: POST check (the
 *    masked name, audited) → POST entries (save; 303) → GET the entry screen. p50_ms / p99_ms are
 *    of the save request; the check, the screen and the whole card are reported beside it.
 * 3. The same with `--clerks` clerks at once (each on their own batch).
 *
 * The load client shares this process and its cores with the server. Beside each phase's figures:
 * the CPU this process and its PostgreSQL used per card (other work on the machine disturbs it
 * least). Baseline, measured first in the same run against the same PostgreSQL
 * (bench/lib/postcards-baseline.ts): the CSV's rows written set-based into a table with only a
 * primary key (baseline_ratio = cards_per_s ÷ its rows/s), and single-row inserts one after another
 * (save_p99_vs_baseline_insert = the save's p99 ÷ theirs). The last line is one JSON object.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { saveCampaignDefinition } from '../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { createDb, createPool } from '../src/platform/db.js';
import { startEmbeddedPostgres, type LocalService } from '../dev/local/services.js';
import { migrateToLatest } from '../src/platform/migrate.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import { postcardsLog as log } from './lib/log.js';
import { benchCard, type BenchCard } from './lib/postcards-cards.js';
import { round1, type OpsClient } from './lib/postcards-client.js';
import { counterDiff, dbCounters } from './lib/redeem-db-stats.js';
import { entryOutcomes, perCardOf, uploadCsvFiles } from './lib/postcards-csv-intake.js';
import { keyCards } from './lib/postcards-entry.js';
import { parsePostcardsOptions } from './lib/postcards-options.js';
import { latencyFigures, measurePhase, type LatencyFigures } from './lib/postcards-phase.js';
import { measurePostcardsBaseline } from './lib/postcards-baseline.js';
import { seedPostcardCustomers } from './lib/postcards-seed.js';
import { signInClerks, startPostcardsServer } from './lib/postcards-server.js';

const opts = parsePostcardsOptions();
const DAY = 86400_000;
const postmarks = { inTime: jstDay(new Date(Date.now() - 2 * DAY)), late: jstDay(new Date()) };

const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-postcards-'));
chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
let postgres: LocalService | undefined;
let closeServer: (() => Promise<void>) | undefined;

/** The campaign (deadline passed yesterday: cards postmarked today are late), its customers and web redemptions. */
async function seedCampaign(pool: pg.Pool, db: ReturnType<typeof createDb>) {
  const campaign = await saveCampaignDefinition(db, {
    ...demoCampaignDefinition(new Date(), 'bench-postcards'),
    deadline: jstDay(new Date(Date.now() - DAY)), // cards postmarked today are late
    purgeDeadline: jstDay(new Date(Date.now() + 120 * DAY)),
  });
  const needed = opts.csvCards + opts.warmup + opts.cards * 2 + opts.clerks;
  const seeded = await seedPostcardCustomers(pool, campaign.id, opts.customers, needed, log);
  const seedSeconds = seeded.loadSeconds;
  const webRedeemed = seeded.webRedeemed;
  log(
    `seeded ${opts.customers} customers in ${seedSeconds.toFixed(1)} s (${Math.round(opts.customers / seedSeconds)}/s; ` +
      `checkpoint, vacuum and analyze ${seeded.settleSeconds.toFixed(1)} s); ${webRedeemed} redeemed on the web`,
  );
  const codes = seeded.codes;
  return { slug: campaign.slug, codes, seedSeconds, settleSeconds: seeded.settleSeconds };
}

/** 1. CSV intake through the upload route. */
async function csvIntake(
  clerk: OpsClient,
  slug: string,
  codes: string[],
  pool: pg.Pool,
  db: ReturnType<typeof createDb>,
) {
  const perFile = Math.ceil(opts.csvCards / opts.csvFiles);
  const csvCards = codes.slice(0, opts.csvCards).map((_, i, all) => benchCard(i, all, postmarks));
  // Per card, PostgreSQL's WAL (full-page images: pages first changed since the last checkpoint) and
  // buffer misses: what grows with the campaign's size while the statements stay the same.
  const before = await dbCounters(pool);
  const csv = await measurePhase('CSV intake', opts.quietWaitS, () =>
    uploadCsvFiles(clerk, slug, csvCards, perFile),
  );
  // Backends report their counters at most once a second, and an idle one after 10 s: wait for that,
  // or the last second's work is missing (a 2,000-card run showed 0.02 rows inserted per card, not ~3).
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  const perCard = perCardOf(counterDiff(before, await dbCounters(pool)), csv.value.n);
  const csvMs = csv.value.ms;
  const imported = csv.value.n;
  const csvOutcomes = await entryOutcomes(db);
  const cardsPerS = Math.round(imported / (csvMs / 1000));
  log(
    `CSV: ${imported} cards in ${(csvMs / 1000).toFixed(1)} s = ${cardsPerS} cards/s ${JSON.stringify(csvOutcomes)}; ` +
      `${((csv.cpuSeconds * 1000) / imported).toFixed(2)} ms CPU per card (this process and PostgreSQL; ` +
      `this process alone ${((csv.nodeCpuSeconds * 1000) / imported).toFixed(2)} ms); ` +
      `per card: ${JSON.stringify(perCard)}`,
  );
  return {
    csv_cards: imported,
    csv_files: Math.ceil(csvCards.length / perFile),
    csv_s: round1(csvMs / 1000),
    cards_per_s: cardsPerS,
    csv_cpu_ms_per_card: Math.round((csv.cpuSeconds * 100_000) / imported) / 100,
    csv_node_cpu_ms_per_card: Math.round((csv.nodeCpuSeconds * 100_000) / imported) / 100,
    csv_outcomes: csvOutcomes,
    csv_other_cores: csv.otherCores,
    csv_iowait_cores: csv.iowaitCores,
    csv_per_card: perCard,
  };
}

/** 2. Single-card entry, one clerk. */
async function singleClerkEntry(clerk: OpsClient, slug: string, nextCards: (n: number) => BenchCard[]) {
  const t0 = performance.now();
  const singlePhase = await measurePhase('single-card entry', opts.quietWaitS, () =>
    keyCards(clerk, slug, nextCards(opts.warmup + opts.cards), opts.warmup),
  );
  const single = singlePhase.value;
  const singleSeconds = (performance.now() - t0) / 1000;
  const save = latencyFigures(single.save);
  log(
    `single clerk: save ${JSON.stringify(save)} ms, card ${JSON.stringify(latencyFigures(single.card))} ms`,
  );
  return {
    entry_cards: single.save.length,
    entry_path: 'HTTP: POST check → POST entries (timed) → GET screen',
    p50_ms: save.p50,
    p99_ms: save.p99,
    max_ms: save.max,
    check_ms: latencyFigures(single.check),
    screen_ms: latencyFigures(single.screen),
    card_ms: latencyFigures(single.card),
    entry_other_cores: singlePhase.otherCores,
    entry_cpu_ms_per_card: round1((singlePhase.cpuSeconds * 1000) / (opts.warmup + opts.cards)),
    cards_per_min_one_clerk: Math.round((single.save.length + opts.warmup) / (singleSeconds / 60)),
  };
}

/** 3. Several clerks at once, each on a batch of their own. */
async function clerksAtOnce(clerks: OpsClient[], slug: string, nextCards: (n: number) => BenchCard[]) {
  let crowd: LatencyFigures | null = null;
  let crowdOther: number | null = null;
  if (opts.clerks > 0) {
    const per = Math.ceil(opts.cards / opts.clerks);
    const cards = clerks.map(() => nextCards(per));
    const runs = await measurePhase(`${opts.clerks} clerks`, opts.quietWaitS, () =>
      Promise.all(clerks.map((c, i) => keyCards(c, slug, cards[i]!, Math.min(20, per - 1)))),
    );
    crowd = latencyFigures(runs.value.flatMap((r) => r.save));
    crowdOther = runs.otherCores;
    log(`${opts.clerks} clerks at once: save ${JSON.stringify(crowd)} ms`);
  }
  return { clerks: opts.clerks, clerks_save_ms: crowd, clerks_other_cores: crowdOther };
}

try {
  log(`PostgreSQL (${opts.ephemeral ? 'ephemeral' : 'durable'} settings) in ${root}`);
  postgres = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), ephemeral: opts.ephemeral });
  const pool = createPool(postgres.url, 20);
  const db = createDb(pool);
  await migrateToLatest(db as never);
  const { slug, codes, seedSeconds, settleSeconds } = await seedCampaign(pool, db);

  const server = await startPostcardsServer(postgres.url, pool, db);
  closeServer = server.close;
  const clients = await signInClerks(db, server, opts.clerks + 1);
  const clerk = clients[0]!;

  const baseline = await measurePostcardsBaseline(
    pool,
    opts.csvCards,
    Math.ceil(opts.csvCards / opts.csvFiles),
    opts.cards,
    opts.quietWaitS,
  );
  const csv = await csvIntake(clerk, slug, codes, pool, db);
  // The entry phases key the customers after the CSV's, each card once.
  let base = opts.csvCards;
  const nextCards = (n: number) => {
    const part = codes.slice(base, base + n);
    base += n;
    return part.map((_, i, all) => benchCard(i, all, postmarks));
  };
  const single = await singleClerkEntry(clerk, slug, nextCards);
  const crowd = await clerksAtOnce(clients.slice(1), slug, nextCards);

  const result = {
    bench: 'postcards',
    customers: opts.customers,
    durable: !opts.ephemeral,
    cpus: os.cpus().length,
    node_version: opts.node.version,
    seed_s: round1(seedSeconds),
    seed_customers_per_s: Math.round(opts.customers / seedSeconds),
    seed_settle_s: round1(settleSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...csv,
    ...single,
    ...crowd,
    baseline_rows_per_s: baseline.rowsPerS,
    baseline_ratio: Math.round((csv.cards_per_s / baseline.rowsPerS) * 1000) / 1000,
    baseline_insert_ms: baseline.insertMs,
    save_p99_vs_baseline_insert: round1(single.p99_ms / baseline.insertMs.p99),
  };
  await closeServer();
  closeServer = undefined;
  await db.destroy();
  console.log(JSON.stringify(result));
} finally {
  await closeServer?.().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  if (!opts.keep) rmSync(root, { recursive: true, force: true });
  else log(`kept ${root}`);
}
