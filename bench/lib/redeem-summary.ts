import os from 'node:os';
import { cpuMsPerRequest } from './cpu-window.js';
import type { LoadResult } from './load-types.js';
import type { ScenarioRun } from './redeem-drive.js';
import type { ServiceMeasurement } from './redeem-measure.js';
import type { RedeemOptions } from './redeem-options.js';

/** The figures of a redeem run: the report lines and the final JSON line are made from them. */

export interface RunContext {
  opts: RedeemOptions;
  service: ServiceMeasurement;
  baseline: ScenarioRun | undefined;
  loadBefore: number[];
  source: { commit: string; dirty_files: number };
}

/** Page requests per second of the service over inserts per second of the baseline. */
export function baselineRatio(r: LoadResult, b: LoadResult | undefined): number | null {
  return b && b.requests_per_s > 0 ? Math.round((r.requests_per_s / b.requests_per_s) * 1000) / 1000 : null;
}

/** The highest RSS of one web process (OWABI_ROLE=web), MB; the target is < 120 MB. */
export function webProcessPeakMb(perProcessMb: Record<string, number>): number {
  return Math.max(
    0,
    ...Object.entries(perProcessMb)
      .filter(([k]) => k.endsWith('(web)'))
      .map(([, v]) => v),
  );
}
export const WEB_RSS_TARGET_MB = 120;

export const targetMet = (r: LoadResult) => r.redemptions_per_s >= 300 && r.p99_ms < 150 && r.errors === 0;

/** A database counter's change over the run, per redemption in the database. */
export function perRedemption(service: ServiceMeasurement, counter: string): number {
  const { dbCheck, dbDelta } = service;
  return dbCheck.redemptions ? Math.round((dbDelta[counter]! / dbCheck.redemptions) * 10) / 10 : 0;
}

function headlineFigures({ service, baseline }: RunContext) {
  const r = service.run.load;
  const b = baseline?.load;
  return {
    redemptions_per_s: r.redemptions_per_s,
    p50_ms: r.p50_ms,
    p99_ms: r.p99_ms,
    peak_rss_mb: service.run.rss.peakMb,
    web_process_peak_rss_mb: webProcessPeakMb(service.run.rss.perProcessMb),
    baseline_req_per_s: b?.requests_per_s ?? null,
    baseline_ratio: baselineRatio(r, b),
    page_requests_per_s: r.requests_per_s,
    requests: r.requests,
    redemptions: r.redemptions,
    errors: r.errors,
    error_kinds: r.error_kinds,
    duration_s: r.duration_s,
  };
}

function settingsAndDetails({ opts, service }: RunContext) {
  const r = service.run.load;
  const steps = Object.fromEntries(
    Object.entries(r.steps).map(([k, v]) => [k, { p50_ms: v.p50_ms, p99_ms: v.p99_ms, n: v.count }]),
  );
  return {
    warmup_s: opts.warmupS,
    clients: opts.clients,
    web_processes: opts.webProcesses,
    db_pool_size: opts.dbPoolSize,
    node_env: opts.nodeEnv,
    other_campaigns: opts.otherCampaigns,
    node_version: opts.node.version,
    durable_postgres: !opts.ephemeral,
    distinct_client_ips: opts.distinctIps,
    p90_ms: r.p90_ms,
    max_ms: r.max_ms,
    steps,
    peak_rss_mb_per_process: service.run.rss.perProcessMb,
    peak_rss_anon_mb_per_process: service.run.rss.perProcessAnonMb,
    job_worker: opts.withWorker,
    worker_peak_rss_mb: opts.withWorker ? service.run.rss.workerPeakMb : null,
    cpu_cores: service.run.cpu,
    cpu_ms_per_page_request: cpuMsPerRequest(service.run.cpu, r.requests),
    db_transactions_per_redemption: perRedemption(service, 'xacts'),
    db_commits_per_redemption: perRedemption(service, 'commits'),
    db_redemptions_total: service.dbCheck.redemptions,
    emoney_without_code: service.dbCheck.emoney_without_code,
  };
}

function baselineAndRunFacts({ opts, service, baseline, loadBefore, source }: RunContext) {
  const b = baseline?.load;
  return {
    baseline_p50_ms: b?.p50_ms ?? null,
    baseline_p99_ms: b?.p99_ms ?? null,
    baseline_errors: b?.errors ?? null,
    baseline_peak_rss_mb: baseline?.rss.peakMb ?? null,
    baseline_cpu_cores: baseline?.cpu ?? null,
    baseline_cpu_ms_per_request: baseline && b ? cpuMsPerRequest(baseline.cpu, b.requests) : null,
    customers_seeded: opts.customers,
    customers_used: service.run.customersUsed,
    attempts: service.run.attempts,
    other_work_during_window: service.run.contaminated,
    baseline_attempts: baseline?.attempts ?? null,
    baseline_other_work_during_window: baseline?.contaminated ?? null,
    load_client: 'separate Node process (keep-alive node:http), sharing the same cores as the servers',
    machine_cores: os.cpus().length,
    load_average_before: loadBefore,
    source_commit: source.commit,
    source_dirty_files: source.dirty_files,
    target_met: targetMet(service.run.load),
  };
}

/** The last line of output: one JSON object, keys in the order the bench has always printed them. */
export function redeemSummary(run: RunContext): Record<string, unknown> {
  return { ...headlineFigures(run), ...settingsAndDetails(run), ...baselineAndRunFacts(run) };
}
