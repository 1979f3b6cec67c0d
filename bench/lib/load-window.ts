import { performance } from 'node:perf_hooks';
import { BenchFailure } from './load-http.js';
import type { LatencySummary, LoadConfig, LoadResult, Phase } from './load-types.js';

/**
 * The warm-up and the measured window of one load run, and what was counted in it: a request
 * counts when it completes inside the window, a redemption when its last page does.
 */
export class MeasuredWindow {
  readonly measureStart: number;
  readonly measureEnd: number;
  /** Set when the window ends: every flow gives up at its next request. */
  stopping = false;
  private cpuAtStart: NodeJS.CpuUsage;
  private measuredFrom: number;
  private measuredTo: number;
  private readonly latencies = new Map<string, number[]>();
  private readonly errorKinds: Record<string, number> = {};
  private readonly byOption: Record<string, number> = {};
  private warmupRequests = 0;
  private errors = 0;
  private redemptions = 0;
  private phaseTimers: NodeJS.Timeout[] = [];

  constructor(
    private readonly cfg: LoadConfig,
    private readonly onPhase: (phase: Phase) => void,
  ) {
    const started = performance.now();
    this.measureStart = started + cfg.warmupMs;
    this.measureEnd = this.measureStart + cfg.durationMs;
    this.cpuAtStart = process.cpuUsage();
    this.measuredFrom = this.measureStart;
    this.measuredTo = this.measureEnd;
  }

  inWindow(t: number): boolean {
    return t >= this.measureStart && t < this.measureEnd;
  }

  recordResponse(step: string, t0: number, t1: number): void {
    if (this.inWindow(t1)) {
      let arr = this.latencies.get(step);
      if (!arr) this.latencies.set(step, (arr = []));
      arr.push(t1 - t0);
    } else if (t1 < this.measureStart) this.warmupRequests++;
  }

  recordFailure(e: unknown): void {
    if (!this.inWindow(performance.now())) return;
    this.errors++;
    const kind = e instanceof BenchFailure ? e.kind : String(e);
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
  }

  recordRedemption(choice: Record<string, string>): void {
    if (!this.inWindow(performance.now())) return;
    this.redemptions++;
    const k = choice.brand ? `emoney:${choice.brand}` : choice.option!;
    this.byOption[k] = (this.byOption[k] ?? 0) + 1;
  }

  /** The edges of the window: CPU counters are read there, and the parent is told. */
  startPhaseTimers(): void {
    this.phaseTimers = [
      setTimeout(() => {
        this.cpuAtStart = process.cpuUsage();
        this.measuredFrom = performance.now();
        this.onPhase('measure');
      }, this.cfg.warmupMs),
      setTimeout(() => {
        this.stopping = true;
        this.measuredTo = performance.now();
        this.onPhase('done');
      }, this.cfg.warmupMs + this.cfg.durationMs),
    ];
  }

  /**
   * Called once every client has returned: either the window ended, or the customers ran out
   * before it did. Returns the client's CPU use over the window.
   */
  close(): NodeJS.CpuUsage {
    for (const t of this.phaseTimers) clearTimeout(t);
    if (!this.stopping) {
      this.stopping = true;
      this.measuredTo = Math.max(this.measureStart, performance.now());
      this.onPhase('done');
    }
    return process.cpuUsage(this.cpuAtStart);
  }

  result(customers: { used: number; exhausted: boolean }, cpu: NodeJS.CpuUsage): LoadResult {
    const durationS = Math.max(
      0.001,
      (Math.min(this.measuredTo, this.measureEnd) - this.measuredFrom) / 1000,
    );
    const all: number[] = [];
    const steps: Record<string, LatencySummary> = {};
    for (const [step, values] of [...this.latencies].sort(([a], [b]) => a.localeCompare(b))) {
      steps[step] = summariseLatencies(values);
      for (const v of values) all.push(v);
    }
    const overall = summariseLatencies(all);
    return {
      scenario: this.cfg.scenario,
      clients: this.cfg.clients,
      duration_s: Math.round(durationS * 100) / 100,
      requests: all.length,
      requests_per_s: Math.round((all.length / durationS) * 10) / 10,
      ...overall,
      errors: this.errors,
      error_kinds: this.errorKinds,
      redemptions: this.redemptions,
      redemptions_per_s: Math.round((this.redemptions / durationS) * 10) / 10,
      redemptions_by_option: this.byOption,
      customers_used: customers.used,
      customers_exhausted: customers.exhausted,
      steps,
      warmup_requests: this.warmupRequests,
      client_cpu_s: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
    };
  }
}

export function summariseLatencies(values: number[]): LatencySummary {
  if (values.length === 0) return { count: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, max_ms: 0, mean_ms: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return {
    count: sorted.length,
    p50_ms: r2(at(0.5)),
    p90_ms: r2(at(0.9)),
    p99_ms: r2(at(0.99)),
    max_ms: r2(sorted[sorted.length - 1]!),
    mean_ms: r2(mean),
  };
}
