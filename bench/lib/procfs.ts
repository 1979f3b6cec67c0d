import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Linux /proc readings for the benchmark: process trees, resident memory and CPU time. Every
 * reading tolerates a process that has just gone away (it then counts as zero).
 */

const CLOCK_TICKS_PER_S = 100; // USER_HZ: 100 on every Linux we run on (`getconf CLK_TCK`)

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The process and all its descendants (children of every thread, recursively). */
export function processTree(rootPid: number): number[] {
  const out: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.shift()!;
    if (!readOrEmpty(`/proc/${pid}/stat`)) continue;
    out.push(pid);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      for (const child of readOrEmpty(`/proc/${pid}/task/${tid}/children`).split(/\s+/)) {
        if (child) queue.push(Number(child));
      }
    }
  }
  return out;
}

/** Resident set size in kB (VmRSS), 0 when the process is gone. */
export function rssKb(pid: number): number {
  return statusKb(pid, 'VmRSS');
}

/**
 * A size line of /proc/PID/status in kB: VmRSS is all resident pages; RssAnon the process's own
 * (heap, stacks), without the pages of the node binary and libraries that every process shares.
 */
function statusKb(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readOrEmpty(`/proc/${pid}/status`));
  return m ? Number(m[1]) : 0;
}

/**
 * The name of the executable a process runs ("node"), '' when it is gone. Not /proc/PID/comm:
 * Node 24 renames its main thread "MainThread", so comm no longer says which program it is.
 */
export function executableName(pid: number): string {
  return path.basename(executablePath(pid));
}

/** The absolute path of the executable a process runs, '' when it is gone or unreadable. */
export function executablePath(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

/** The command line, NUL separators turned into spaces. */
export function commandLine(pid: number): string {
  return readOrEmpty(`/proc/${pid}/cmdline`).split('\0').join(' ').trim();
}

/**
 * CPU seconds used by the process, user and kernel, including its children that have already
 * exited and been reaped (cutime/cstime), so that summing over a live tree counts nothing twice.
 */
export function cpuSecondsSplit(pid: number): { user: number; sys: number } {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  const close = stat.lastIndexOf(')');
  if (close < 0) return { user: 0, sys: 0 };
  // Fields after "(comm)": state is field 3; utime, stime, cutime, cstime are fields 14..17.
  const f = stat.slice(close + 2).split(' ');
  const at = (i: number) => Number(f[i] ?? 0) / CLOCK_TICKS_PER_S;
  return { user: at(11) + at(13), sys: at(12) + at(14) };
}

export function cpuSeconds(pid: number): number {
  const { user, sys } = cpuSecondsSplit(pid);
  return user + sys;
}

export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** Kernel-mode CPU seconds of a tree (system calls: sockets, files). */
export function treeSysCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, pid) => sum + cpuSecondsSplit(pid).sys, 0);
}

/**
 * Whole-machine CPU time from /proc/stat, in seconds: busy (everything but idle and iowait), total,
 * iowait, interrupt handling (irq + softirq: loopback networking lands here, not on any process)
 * and steal (time the hypervisor gave to another guest).
 */
export function systemCpuSeconds(): {
  busy: number;
  total: number;
  iowait: number;
  irq: number;
  steal: number;
  cores: number;
} {
  const text = readOrEmpty('/proc/stat');
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  const cores = text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length;
  if (!line) return { busy: 0, total: 0, iowait: 0, irq: 0, steal: 0, cores };
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const at = (i: number) => (v[i] ?? 0) / CLOCK_TICKS_PER_S;
  // user nice system idle iowait irq softirq steal guest guest_nice (guest is already in user)
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0) / CLOCK_TICKS_PER_S;
  return { busy: total - at(3) - at(4), total, iowait: at(4), irq: at(5) + at(6), steal: at(7), cores };
}

/**
 * Waits (up to `maxMs`) until the machine is nearly idle, so that someone else's build does not
 * share the measurement; returns the busy cores seen in the last sample.
 */
export async function waitForQuiet(maxBusyCores: number, maxMs: number): Promise<number> {
  const until = Date.now() + maxMs;
  for (;;) {
    const a = systemCpuSeconds();
    await new Promise((r) => setTimeout(r, 1000));
    const b = systemCpuSeconds();
    const busy = ((b.busy - a.busy) / Math.max(0.001, b.total - a.total)) * b.cores;
    if (busy <= maxBusyCores || Date.now() >= until) return Math.round(busy * 100) / 100;
  }
}

export function loadAverage(): number[] {
  return readOrEmpty('/proc/loadavg').split(' ').slice(0, 3).map(Number);
}

export interface RssPeak {
  /** Highest sum over the tree seen in one sample, MB, without the job worker process. */
  peakMb: number;
  /** Highest RSS of the job worker process (OWABI_ROLE=worker), when there is one, MB. */
  workerPeakMb: number;
  /** Highest RSS each process reached, MB, keyed by "pid command (role)". */
  perProcessMb: Record<string, number>;
  /** Highest RssAnon (private memory, without shared binary pages) each process reached, MB. */
  perProcessAnonMb: Record<string, number>;
  samples: number;
}

/** The OWABI_ROLE a process was started with (web, worker), or '' for none. */
export function owabiRole(pid: number): string {
  const m = /(?:^|\0)OWABI_ROLE=([^\0]*)/.exec(readOrEmpty(`/proc/${pid}/environ`));
  return m ? m[1]! : '';
}

/** Samples the summed VmRSS of a process tree at a fixed interval and keeps the peak. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakKb = 0;
  private workerPeakKb = 0;
  private samples = 0;
  private readonly perProcess = new Map<
    number,
    { name: string; worker: boolean; peakKb: number; peakAnonKb: number }
  >();

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 200,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    let sum = 0;
    let worker = 0;
    for (const pid of processTree(this.rootPid)) {
      const kb = rssKb(pid);
      let seen = this.perProcess.get(pid);
      if (!seen) {
        const role = owabiRole(pid);
        const name = `${executableName(pid)}${pid === this.rootPid ? ' (primary)' : role ? ` (${role})` : ''}`;
        this.perProcess.set(pid, (seen = { name, worker: role === 'worker', peakKb: 0, peakAnonKb: 0 }));
      }
      if (kb > seen.peakKb) seen.peakKb = kb;
      seen.peakAnonKb = Math.max(seen.peakAnonKb, statusKb(pid, 'RssAnon'));
      if (seen.worker) worker += kb;
      else sum += kb;
    }
    this.samples++;
    if (sum > this.peakKb) this.peakKb = sum;
    if (worker > this.workerPeakKb) this.workerPeakKb = worker;
  }

  stop(): RssPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const perProcessMb: Record<string, number> = {};
    const perProcessAnonMb: Record<string, number> = {};
    for (const [pid, p] of this.perProcess) {
      perProcessMb[`${pid} ${p.name}`] = round1(p.peakKb / 1024);
      perProcessAnonMb[`${pid} ${p.name}`] = round1(p.peakAnonKb / 1024);
    }
    return {
      peakMb: round1(this.peakKb / 1024),
      workerPeakMb: round1(this.workerPeakKb / 1024),
      perProcessMb,
      perProcessAnonMb,
      samples: this.samples,
    };
  }
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
