import { statfsSync } from 'node:fs';
import type pg from 'pg';
import type { LoadedCampaign } from './scale-campaign.js';
import { scaleLog as log } from './scale-campaign.js';
import type { CampaignFigures } from './scale-measure.js';
import type { ScaleOptions } from './scale-options.js';
import type { IndexFacts } from './scale-pg.js';

/** Measured on this bench's seed: data, indexes and WAL of a customer, with room to spare. */
const BYTES_PER_CUSTOMER = 1.6 * 1024;

/** Says before loading whether the disk can hold the campaign, as a warning: the budget may stop it earlier. */
export function checkDisk(dir: string, customers: number): { free_gb: number; needed_gb: number } {
  const fs = statfsSync(dir);
  const free = (fs.bavail * fs.bsize) / 1e9;
  const needed = (customers * BYTES_PER_CUSTOMER) / 1e9;
  log(
    `disk: ${free.toFixed(1)} GB free in ${dir}; ${customers.toLocaleString('en')} customers need about ${needed.toFixed(1)} GB`,
  );
  if (needed > free)
    log('WARNING: the disk is too small for all of them; loading may fail before the budget ends');
  return { free_gb: Math.round(free * 10) / 10, needed_gb: Math.round(needed * 10) / 10 };
}

export async function databaseGb(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ b: string }>('select pg_database_size(current_database()) as b');
  return Math.round((Number(rows[0]!.b) / 1e9) * 10) / 10;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export interface ScaleRound {
  baseline: CampaignFigures;
  big: CampaignFigures;
}

export interface ScaleRun {
  opts: ScaleOptions;
  small: LoadedCampaign;
  big: LoadedCampaign;
  rounds: ScaleRound[];
  settings: Record<string, string>;
  index: IndexFacts[];
  dbGb: number;
  disk: { free_gb: number; needed_gb: number };
  settleS: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A campaign's figures over the rounds compared: medians of login p99, redemptions/s and CPU. */
function overRounds(figures: CampaignFigures[]) {
  return {
    login_p99_ms: r3(median(figures.map((f) => f.login_p99_ms))),
    redemptions_per_s: r3(median(figures.map((f) => f.redemptions_per_s))),
    cpu_ms_per_redemption: r3(
      median(
        figures.map((f) => (f.web_cpu_ms_per_redemption ?? NaN) + (f.postgres_cpu_ms_per_redemption ?? NaN)),
      ),
    ),
  };
}

/** How the run was made: every round's figures, the indexes, the settings, the options. */
function runFacts(run: ScaleRun) {
  const { opts } = run;
  return {
    rounds: run.rounds,
    indexes: run.index,
    database_gb: run.dbGb,
    disk: run.disk,
    seed_settings: opts.durableSeed
      ? 'durable'
      : 'bulk load (fsync, full_page_writes off), reset before measuring',
    measured_settings: run.settings,
    bench_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    options: {
      sample: opts.sample,
      rounds: opts.rounds,
      chunk: opts.chunk,
      writers: opts.writers,
      warmup_s: opts.redeem.warmupS,
      attempts: opts.redeem.attempts,
      distinct_client_ips: opts.redeem.distinctIps,
    },
    duration_s: opts.redeem.durationS,
    clients: opts.redeem.clients,
    web_processes: opts.redeem.webProcesses,
    node_version: opts.redeem.node.version,
  };
}

/**
 * The last line: the big campaign's figures, the baseline's, and the ratios, each ≥ 1 when the big
 * campaign is no worse (baseline p99 / big p99; big redemptions/s / baseline's). Target: ≥ 0.8.
 */
export function scaleSummary(run: ScaleRun): Record<string, unknown> {
  const { opts, big, small } = run;
  // Rounds in which other work on the machine disturbed neither phase, when there are any.
  const quiet = run.rounds.filter(
    (r) => !r.big.other_work_during_window && !r.baseline.other_work_during_window,
  );
  const used = quiet.length > 0 ? quiet : run.rounds;
  const measured = overRounds(used.map((r) => r.big));
  const baseline = overRounds(used.map((r) => r.baseline));
  const loginRatio = r3(baseline.login_p99_ms / measured.login_p99_ms);
  const rateRatio = r3(measured.redemptions_per_s / baseline.redemptions_per_s);
  return {
    bench: 'scale',
    customers_requested: opts.customers,
    customers_loaded: big.loaded,
    budget_min: opts.budgetMin,
    stopped_by_budget: big.loaded < opts.customers,
    load_s: Math.round(big.seconds),
    load_customers_per_s: Math.round(big.loaded / big.seconds),
    vacuum_analyze_s: Math.round(run.settleS),
    baseline_customers: small.loaded,
    login_p99_ms: measured.login_p99_ms,
    redemptions_per_s: measured.redemptions_per_s,
    baseline_login_p99_ms: baseline.login_p99_ms,
    baseline_redemptions_per_s: baseline.redemptions_per_s,
    ratio_login_p99: loginRatio,
    ratio_redemptions_per_s: rateRatio,
    cpu_ms_per_redemption: measured.cpu_ms_per_redemption,
    baseline_cpu_ms_per_redemption: baseline.cpu_ms_per_redemption,
    // Baseline CPU / big CPU per redemption (web + PostgreSQL): the cost at scale with other work's noise left out.
    ratio_cpu_per_redemption: r3(baseline.cpu_ms_per_redemption / measured.cpu_ms_per_redemption),
    target: 'both ratios ≥ 0.8 (index depth and cache misses cost < 20 %), no errors',
    target_met:
      loginRatio >= 0.8 && rateRatio >= 0.8 && run.rounds.every((r) => !r.big.errors && !r.baseline.errors),
    errors: run.rounds.reduce((n, r) => n + r.big.errors, 0),
    baseline_errors: run.rounds.reduce((n, r) => n + r.baseline.errors, 0),
    rounds_compared:
      used.length === run.rounds.length ? 'all' : `${used.length} undisturbed of ${run.rounds.length}`,
    phases_disturbed_by_other_work: run.rounds.reduce(
      (n, r) => n + Number(r.big.other_work_during_window) + Number(r.baseline.other_work_during_window),
      0,
    ),
    ...runFacts(run),
  };
}
