import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import copyStreams from 'pg-copy-streams';
import { saveCampaignDefinition } from '../src/campaigns/campaign.service.js';
import type { ImportReport } from '../src/imports/import.service.js';
import { generateSyntheticCustomersCsv } from '../dev/demo/synthetic-customers.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { createDb, createPool } from '../src/platform/db.js';
import { startEmbeddedPostgres, type LocalService } from '../dev/local/services.js';
import { SMALL_HEAP_FLAGS } from '../src/platform/heap-flags.js';
import { migrateToLatest } from '../src/platform/migrate.js';
import { compileEntry } from './lib/redeem-build.js';
import { formatProfileSummary, summariseCpuProfile } from './lib/cpuprofile.js';
import { resolveNodeRuntime } from './lib/node-runtime.js';

/**
 * `npm run bench:import [-- --rows N] [--batch-size N] [--ephemeral] [--cpu-prof] [--node …]`: imports N synthetic customers
 * (default 1,000,000) into a fresh local PostgreSQL (durable settings unless --ephemeral) and
 * measures rows/s and this process's peak RSS. The yardstick, in the same run: a plain COPY of the
 * same CSV into an unlogged table with the same columns (no validation, codes, keys or letters).
 * The import runs compiled (as production does) in a child process of its own.
 * --cpu-prof: a V8 profile of every thread of the import process, summarised after the figures.
 * --node: the import process's runtime (default lts: the production image's Node 24; see
 * bench/lib/node-runtime.ts).
 * The last line printed is one JSON object.
 */
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'batch-size': { type: 'string', default: '10000' },
    ephemeral: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    node: { type: 'string', default: 'lts' },
  },
});
const rows = Number(values.rows);
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(batchSize) || batchSize < 1) {
  console.error(
    'usage: npm run bench:import -- [--rows N] [--batch-size N] [--ephemeral] [--cpu-prof] [--node lts|current|PATH]',
  );
  process.exit(64);
}

const runtime = resolveNodeRuntime(values.node);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-import-'));
chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
let pg: LocalService | undefined;

try {
  console.log(`starting PostgreSQL (${values.ephemeral ? 'ephemeral' : 'durable'} settings) in ${root} …`);
  pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), ephemeral: values.ephemeral });
  const pool = createPool(pg.url, 4);
  const db = createDb(pool);
  await migrateToLatest(db as never);
  const campaign = await saveCampaignDefinition(db, demoCampaignDefinition(new Date(), 'bench-import'));

  const csvPath = path.join(root, 'customers.csv');
  let t = performance.now();
  const csvOut = createWriteStream(csvPath);
  await generateSyntheticCustomersCsv(csvOut, rows);
  csvOut.end();
  await finished(csvOut);
  const csvBytes = statSync(csvPath).size;
  console.log(`wrote ${rows} synthetic rows (${mb(csvBytes)} MB) in ${Math.round(performance.now() - t)} ms`);

  // The import runs in a child process, as the CLI would: its peak RSS is the import's alone.
  const lettersPath = path.join(root, 'letters.csv');
  const childArgs = {
    databaseUrl: pg.url,
    campaignId: campaign.id,
    leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
    csvPath,
    lettersPath,
    batchSize,
  };
  // The import as production runs it: compiled JavaScript (its worker threads load the compiled worker).
  const childScript = compileEntry(
    repoRoot,
    'owabi-bench-import',
    ['src', 'bench/import-child.ts'],
    'bench/import-child.js',
  );
  const profDir = path.join(root, 'prof');
  const profArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  // With the worker process's heap flags, as the primary forks it.
  console.log(`import process on node ${runtime.version}`);
  const child = spawn(
    runtime.bin,
    [...SMALL_HEAP_FLAGS, ...profArgs, childScript, JSON.stringify(childArgs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let childOut = '';
  child.stdout.on('data', (c: Buffer) => (childOut += c.toString('utf8')));
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  if (exitCode !== 0) throw new Error(`the import process exited with ${exitCode}:\n${childOut}`);
  const result = JSON.parse(childOut.trim().split('\n').pop()!) as {
    ms: number;
    phases: Record<string, number>;
    cpuMs: number;
    peakRssSampled: number;
    maxRss: number;
    report: ImportReport;
  };
  const { report } = result;
  const importMs = result.ms;
  const peakRss = Math.max(result.peakRssSampled, result.maxRss);
  if (report.imported !== rows || report.badRowCount > 0 || report.likelyDuplicateCount > 0) {
    throw new Error(`expected ${rows} imported rows, got ${JSON.stringify(report)}`);
  }
  const { rows: countRows } = await pool.query<{ n: string }>(
    'select count(*) as n from customer_personal where campaign_id = $1',
    [campaign.id],
  );
  if (Number(countRows[0]!.n) !== rows)
    throw new Error(`database holds ${countRows[0]!.n} rows, expected ${rows}`);

  // The yardstick: the same file, plain COPY, no work of ours.
  await pool.query(`create unlogged table bench_import_baseline (
    customer_ref text, full_name text, full_name_kana text, birth_date text, postal_code text, address text,
    phone text, email text, household text, leaked_items text, erasure_requested_before text)`);
  const client = await pool.connect();
  t = performance.now();
  await pipeline(
    createReadStream(csvPath),
    client.query(copyStreams.from('copy bench_import_baseline from stdin with (format csv, header true)')),
  );
  const baselineMs = performance.now() - t;
  client.release();
  await db.destroy();

  const rowsPerS = Math.round(rows / (importMs / 1000));
  const baselineRowsPerS = Math.round(rows / (baselineMs / 1000));
  console.log('');
  console.log(
    `import:   ${rows} rows in ${(importMs / 1000).toFixed(1)} s = ${rowsPerS} rows/s (batch ${batchSize})`,
  );
  console.log(
    `          peak RSS ${mb(peakRss)} MB (import process; sampled every 100 ms ${mb(result.peakRssSampled)} MB), letters ${mb(statSync(lettersPath).size)} MB`,
  );
  console.log(
    `          phases (ms): ${Object.entries(result.phases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; import process CPU ${result.cpuMs} ms (all threads)`,
  );
  console.log(
    `baseline: plain COPY of the same CSV into an unlogged table: ${(baselineMs / 1000).toFixed(1)} s = ${baselineRowsPerS} rows/s`,
  );
  console.log(`ratio:    ${(rowsPerS / baselineRowsPerS).toFixed(3)} (ours / baseline)`);
  if (values['cpu-prof']) {
    for (const f of readdirSync(profDir))
      console.log(formatProfileSummary(f, summariseCpuProfile(path.join(profDir, f))));
  }
  console.log(
    JSON.stringify({
      rows,
      rows_per_s: rowsPerS,
      peak_rss_mb: mb(peakRss),
      baseline_rows_per_s: baselineRowsPerS,
      baseline_ratio: Math.round((rowsPerS / baselineRowsPerS) * 1000) / 1000,
      phases_ms: result.phases,
      import_cpu_ms: result.cpuMs,
      batch_size: batchSize,
      durable: !values.ephemeral,
      node_version: runtime.version,
    }),
  );
} finally {
  await pg?.stop().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
}
