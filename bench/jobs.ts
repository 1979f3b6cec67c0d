import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { parseConfig } from '../src/platform/config.js';
import { createDb, createPool } from '../src/platform/db.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { generateSecrets } from '../dev/local/environment.js';
import { startEmbeddedPostgres, startLocalRedis, type LocalService } from '../dev/local/services.js';
import { createLogger } from '../src/platform/logger.js';
import { createObjectStore } from '../src/platform/storage/storage.config.js';
import { migrateToLatest } from '../src/platform/migrate.js';
import { benchBatchCut } from './lib/batch-cut.js';
import { benchErase, benchPurge, startFromCheckpoint } from './lib/erase-purge.js';
import { benchFulfil } from './lib/fulfil.js';
import { runBenchOn } from './lib/node-runtime.js';

/**
 * `npm run bench:jobs [-- --customers N --fulfil N --node lts|current|PATH]`: erasure, purge, batch
 * cut and vendor-API fulfilment on a durable embedded PostgreSQL and a local Redis, on the
 * production image's Node 24 unless --node says otherwise (the bench runs itself again there).
 * Baseline, measured in the same run: a plain batched DELETE of as many rows from a table with only
 * a primary key. Each timed part starts from a checkpoint. The last line is one JSON object.
 */
const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    fulfil: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    // Worker processes for the vendor-API fulfilment figure (the service runs two).
    workers: { type: 'string', default: '2' },
    // Comma-separated subset of erase,purge,cut,fulfil (all by default), for iterating on one.
    only: { type: 'string', default: 'erase,purge,cut,fulfil' },
    node: { type: 'string', default: 'lts' },
  },
});
const node = runBenchOn(values.node);
const customers = Number(values.customers);
const fulfilCount = Number(values.fulfil);

const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-jobs-'));
chmodSync(root, 0o755);
const services: LocalService[] = [];
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function baselineDeletePerS(deps: JobDeps, rows: number): Promise<number> {
  await sql`create table bench_baseline_delete (id bigint primary key, v text)`.execute(deps.db);
  await sql`insert into bench_baseline_delete select i, md5(i::text) from generate_series(1, ${rows}::int) i`.execute(
    deps.db,
  );
  await sql`analyze bench_baseline_delete`.execute(deps.db);
  await startFromCheckpoint(deps.db);
  const t0 = performance.now();
  for (let lo = 1; lo <= rows; lo += 20_000) {
    await sql`delete from bench_baseline_delete where id between ${lo} and ${lo + 19_999}`.execute(deps.db);
  }
  const s = (performance.now() - t0) / 1000;
  await sql`drop table bench_baseline_delete`.execute(deps.db);
  return Math.round(rows / s);
}

try {
  const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg') });
  services.push(pg);
  const redisService = await startLocalRedis({ dataDir: path.join(root, 'redis'), ephemeral: true });
  services.push(redisService);
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    REDIS_URL: redisService.url,
    DATA_DIR: path.join(root, 'data'),
    LOG_LEVEL: 'warn',
    ...generateSecrets(),
  });
  const pool = createPool(pg.url, 10);
  const redis = new Redis(redisService.url);
  const deps: JobDeps = {
    config,
    pool,
    db: createDb(pool),
    logger: createLogger('warn'),
    store: createObjectStore(config),
    now: () => new Date(),
    redis,
  };
  await migrateToLatest(deps.db as never);

  const only = new Set(values.only.split(','));
  const skipped = { erase_per_s: NaN, purge_per_s: NaN, login_p99_ms: NaN };
  const baseline = await baselineDeletePerS(deps, customers);
  console.log(`baseline: batched DELETE of ${customers} rows (primary key only): ${baseline}/s`);
  const erase = only.has('erase') ? await benchErase(deps, customers) : skipped;
  console.log(
    `erase:    ${customers} customers: ${erase.erase_per_s}/s (login p99 meanwhile ${erase.login_p99_ms} ms)`,
  );
  const purge = only.has('purge') ? await benchPurge(deps, customers) : skipped;
  console.log(
    `purge:    ${customers} customers: ${purge.purge_per_s}/s (login p99 meanwhile ${purge.login_p99_ms} ms)`,
  );
  const cut = only.has('cut') ? await benchBatchCut(deps, customers) : { batch_cut_s: NaN };
  console.log(`cut:      ${customers} book-card lines to manifests: ${cut.batch_cut_s} s`);
  const workers = Number(values.workers);
  const fulfil = only.has('fulfil')
    ? await benchFulfil(deps, fulfilCount, Number(values.concurrency), workers)
    : { fulfil_per_s: NaN, worker_peak_rss_mb: NaN };
  console.log(
    `fulfil:   ${fulfilCount} vendor-API e-money gifts, ${workers} worker processes: ${fulfil.fulfil_per_s}/s (worker peak RSS ${fulfil.worker_peak_rss_mb} MB)`,
  );

  redis.disconnect();
  await deps.db.destroy();
  const inProcessRss = Math.round(peakRss / 1024 / 102.4) / 10;
  console.log(
    JSON.stringify({
      customers,
      erase_per_s: erase.erase_per_s,
      purge_per_s: purge.purge_per_s,
      batch_cut_s: cut.batch_cut_s,
      fulfil_per_s: fulfil.fulfil_per_s,
      fulfil_workers: workers,
      peak_rss_mb: Math.max(inProcessRss, fulfil.worker_peak_rss_mb),
      jobs_process_peak_rss_mb: inProcessRss,
      worker_peak_rss_mb: fulfil.worker_peak_rss_mb,
      login_p99_ms_during_erase: erase.login_p99_ms,
      login_p99_ms_during_purge: purge.login_p99_ms,
      baseline_delete_per_s: baseline,
      erase_baseline_ratio: Math.round((erase.erase_per_s / baseline) * 100) / 100,
      purge_baseline_ratio: Math.round((purge.purge_per_s / baseline) * 100) / 100,
      node_version: node.version,
    }),
  );
} finally {
  clearInterval(sampler);
  for (const s of services.reverse()) await s.stop().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
}
