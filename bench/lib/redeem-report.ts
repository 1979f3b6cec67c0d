import { cpuMsPerRequest } from './cpu-window.js';
import { redeemLog as log } from './log.js';
import type { ProfileDir } from './redeem-profiles.js';
import {
  baselineRatio,
  perRedemption,
  targetMet,
  WEB_RSS_TARGET_MB,
  webProcessPeakMb,
  type RunContext,
} from './redeem-summary.js';

/** The human-readable report of a redeem run, printed before the JSON line. */

function printServiceFigures({ opts, service }: RunContext): void {
  const r = service.run.load;
  const { rss, cpu } = service.run;
  log(
    `redemptions: ${r.redemptions} in ${r.duration_s} s = ${r.redemptions_per_s}/s  (${JSON.stringify(r.redemptions_by_option)})`,
  );
  log(
    `page requests: ${r.requests} = ${r.requests_per_s}/s; latency p50 ${r.p50_ms} ms, p90 ${r.p90_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms; errors ${r.errors} ${JSON.stringify(r.error_kinds)}`,
  );
  for (const [k, v] of Object.entries(r.steps))
    log(
      `  ${k.padEnd(16)} p50 ${String(v.p50_ms).padStart(7)} ms  p99 ${String(v.p99_ms).padStart(7)} ms  (${v.count})`,
    );
  log(
    `web peak RSS ${rss.peakMb} MB (peak of the summed tree${opts.withWorker ? `, job worker apart: ${rss.workerPeakMb} MB` : ''}; per process: ${JSON.stringify(rss.perProcessMb)}; of it private (RssAnon, without the shared pages of node's binary): ${JSON.stringify(rss.perProcessAnonMb)})`,
  );
  if (cpu) log(`CPU during the window (cores): ${JSON.stringify(cpu)}`);
  if (cpu) log(`CPU ms per page request: ${JSON.stringify(cpuMsPerRequest(cpu, r.requests))}`);
  const per = (counter: string) => perRedemption(service, counter);
  log(
    `database: ${JSON.stringify(service.dbCheck)}; per redemption: ${per('xacts')} transactions, ${per('commits')} commits, ${per('tup_inserted')} rows inserted, ${per('tup_updated')} updated, ${per('wal_bytes')} WAL bytes`,
  );
}

function printServiceDiagnostics({ opts, service }: RunContext, profDir: ProfileDir): void {
  if (service.webLines)
    log(`the service printed ${service.webLines} lines (LOG_LEVEL=warn); the last ones:\n${service.webTail}`);
  for (const s of service.statements)
    log(
      `  ${s.calls_per_redemption.toFixed(2).padStart(6)}×  ${s.mean_ms.toFixed(3).padStart(7)} ms  ${s.query}`,
    );
  for (const p of service.profiles) console.log(p);
  if (opts.cpuProf) {
    profDir.keep = true;
    log(`CPU profiles kept in ${profDir.path}`);
  }
}

function printBaselineFigures({ service, baseline }: RunContext): void {
  const r = service.run.load;
  const b = baseline?.load;
  if (!b || !baseline) return;
  log(
    `baseline: ${b.requests} inserts = ${b.requests_per_s}/s; p50 ${b.p50_ms} ms, p99 ${b.p99_ms} ms; errors ${b.errors}; peak RSS ${baseline.rss.peakMb} MB`,
  );
  if (baseline.cpu)
    log(
      `baseline CPU (cores): ${JSON.stringify(baseline.cpu)}; CPU ms per insert: ${JSON.stringify(cpuMsPerRequest(baseline.cpu, b.requests))}`,
    );
  log(
    `baseline_ratio = ${r.requests_per_s} page requests/s ÷ ${b.requests_per_s} inserts/s = ${baselineRatio(r, b)}`,
  );
}

export function printRedeemReport(run: RunContext, profDir: ProfileDir): void {
  const r = run.service.run.load;
  console.log('');
  printServiceFigures(run);
  printServiceDiagnostics(run, profDir);
  printBaselineFigures(run);
  log(`target ≥300 redemptions/s with p99 < 150 ms: ${targetMet(r) ? 'MET' : 'MISSED'}`);
  const web = webProcessPeakMb(run.service.run.rss.perProcessMb);
  log(
    `target web RSS per process < ${WEB_RSS_TARGET_MB} MB: ${web} MB, ${web < WEB_RSS_TARGET_MB ? 'MET' : 'MISSED'}`,
  );
  if (r.customers_exhausted) log('WARNING: the seeded customers ran out before the end; use --customers');
}
