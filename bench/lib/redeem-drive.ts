import type { ServiceProcess } from './children.js';
import { trackChild } from './cleanups.js';
import { cpuSnap, cpuUse, type CpuSnap, type CpuUse } from './cpu-window.js';
import { runLoadInChild } from './load-runner.js';
import type { LoadConfig, LoadResult, Phase } from './load-types.js';
import { redeemLog as log } from './log.js';
import { RssSampler, waitForQuiet, type RssPeak } from './procfs.js';
import type { RedeemOptions } from './redeem-options.js';

/** One scenario (the service, or the baseline) driven by the load client, and what it cost. */
export interface ScenarioRun {
  load: LoadResult;
  cpu: CpuUse | null;
  rss: RssPeak;
  window: { fromUs: number; toUs: number } | null;
  attempts: number;
  /** Other work on the machine used more than --max-other-cores during the final window. */
  contaminated: boolean;
  /** Customers used by all attempts. */
  customersUsed: number;
}

type DriveOptions = Pick<
  RedeemOptions,
  'maxOtherCores' | 'quietWaitS' | 'attempts' | 'clientNodeArgs' | 'node'
>;

/** Reads the CPU counters at the edges of the load client's measured window. */
function cpuWindowMeter(serverPid: number, pgPid: number) {
  let start: CpuSnap | undefined;
  let cpu: CpuUse | null = null;
  let window: ScenarioRun['window'] = null;
  const onPhase = (phase: Phase, clientPid: number) => {
    if (phase === 'measure') start = cpuSnap(serverPid, pgPid, clientPid);
    else if (start) {
      const end = cpuSnap(serverPid, pgPid, clientPid);
      cpu = cpuUse(start, end);
      window = { fromUs: start.hrUs, toUs: end.hrUs };
    }
  };
  return { onPhase, cpu: () => cpu, window: () => window };
}

/**
 * Runs the load client against a started server, sampling RSS and CPU of the server's tree. When
 * other work on the machine took more than --max-other-cores during the window, the run is
 * repeated (up to --attempts, with fresh customers) after waiting for the machine to quiet down.
 */
export async function drive(
  server: ServiceProcess,
  pgPid: number,
  cfg: LoadConfig,
  opts: DriveOptions,
  beforeRetry: () => Promise<void> = async () => undefined,
): Promise<ScenarioRun> {
  const sampler = new RssSampler(server.pid, 200).start();
  let firstCustomer = 0;
  for (let attempt = 1; ; attempt++) {
    const busy = await waitForQuiet(opts.maxOtherCores, opts.quietWaitS * 1000);
    if (busy > opts.maxOtherCores) log(`the machine is not quiet (${busy} cores busy before the run)`);
    const meter = cpuWindowMeter(server.pid, pgPid);
    const load = await runLoadInChild(
      { ...cfg, firstCustomer },
      meter.onPhase,
      trackChild,
      opts.clientNodeArgs,
      opts.node.bin,
    );
    firstCustomer += load.customers_used;
    const cpu = meter.cpu();
    const other = cpu?.other_cores ?? 0;
    const contaminated = other > opts.maxOtherCores;
    if (!contaminated || attempt >= opts.attempts || load.customers_exhausted) {
      if (contaminated) log(`other work used ${other} cores during the window: these figures are low`);
      const [rss, window] = [sampler.stop(), meter.window()];
      return { load, cpu, rss, window, attempts: attempt, contaminated, customersUsed: firstCustomer };
    }
    log(
      `attempt ${attempt}: other work used ${other} cores during the window (${load.requests_per_s} req/s); again …`,
    );
    await beforeRetry();
  }
}
