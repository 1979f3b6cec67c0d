import type pg from 'pg';
import { stopService } from './children.js';
import { redeemLog as log } from './log.js';
import {
  counterDiff,
  dbCounters,
  redemptionCheck,
  statementsPerRedemption,
  type StatementUse,
} from './redeem-db-stats.js';
import { drive, type ScenarioRun } from './redeem-drive.js';
import type { RedeemOptions } from './redeem-options.js';
import { summariseWebProfiles, type ProfileDir } from './redeem-profiles.js';
import type { SeededCampaign } from './redeem-seed.js';
import { startBaselineService, startWebService, type LocalStack } from './redeem-services.js';

/** The two scenarios of the redeem bench: the service under test, then the baseline. */

export interface ServiceMeasurement {
  run: ScenarioRun;
  /** Lines the service printed (LOG_LEVEL=warn), and the last of them. */
  webLines: number;
  webTail: string;
  dbCheck: Record<string, number>;
  /** pg_stat_database counters over the run. */
  dbDelta: Record<string, number>;
  statements: StatementUse[];
  profiles: string[];
}

const windowMs = (opts: RedeemOptions) => ({
  warmupMs: Math.round(opts.warmupS * 1000),
  durationMs: opts.durationS * 1000,
});

/** Complete redemptions against the real service; then what the database did and holds. */
export async function measureService(
  opts: RedeemOptions,
  stack: LocalStack,
  pool: pg.Pool,
  seeded: SeededCampaign,
  root: string,
  profDir: ProfileDir,
  entry: string[],
): Promise<ServiceMeasurement> {
  const web = await startWebService(opts, stack, root, seeded.pepper, profDir.path, entry);
  if (opts.pgStatStatements) await pool.query('select pg_stat_statements_reset()');
  const countersBefore = await dbCounters(pool);
  log(`redeem: ${opts.clients} clients, ${opts.warmupS} s warm-up + ${opts.durationS} s measured …`);
  const run = await drive(
    web.service,
    stack.pgPid,
    {
      scenario: 'redeem',
      baseUrl: `http://127.0.0.1:${web.port}`,
      slug: seeded.slug,
      credsFile: seeded.credsFile,
      clients: opts.clients,
      ...windowMs(opts),
      distinctClientIps: opts.distinctIps,
    },
    opts,
    // Each attempt starts from the same state: the login throttle counts the last minute's attempts
    // of the client address, and a retry must not inherit the failed attempt's.
    async () =>
      void (await pool.query('delete from login_attempts where campaign_id = $1', [seeded.campaignId])),
  );
  const webLines = web.service.lineCount();
  const webTail = web.service.tail();
  await stopService(web.service); // its pool closes: the backends flush their statistics
  await new Promise((r) => setTimeout(r, 600));
  const dbDelta = counterDiff(countersBefore, await dbCounters(pool));
  const dbCheck = await redemptionCheck(pool, seeded.campaignId);
  const statements = opts.pgStatStatements ? await statementsPerRedemption(pool, dbCheck.redemptions!) : [];
  const profiles = opts.cpuProf ? summariseWebProfiles(profDir.path, run.window) : [];
  return { run, webLines, webTail, dbCheck, dbDelta, statements, profiles };
}

/** Baseline: bare Express + one INSERT per request, same PostgreSQL, same client. */
export async function measureBaseline(
  opts: RedeemOptions,
  stack: LocalStack,
  entry: string[],
): Promise<ScenarioRun> {
  const base = await startBaselineService(opts, stack, entry);
  log(`baseline: ${opts.clients} clients, ${opts.warmupS} s warm-up + ${opts.durationS} s measured …`);
  const run = await drive(
    base.service,
    stack.pgPid,
    {
      scenario: 'baseline',
      baseUrl: `http://127.0.0.1:${base.port}`,
      clients: opts.clients,
      ...windowMs(opts),
    },
    opts,
  );
  await stopService(base.service);
  return run;
}
