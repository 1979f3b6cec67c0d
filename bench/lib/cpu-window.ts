import { systemCpuSeconds, treeCpuSeconds, treeSysCpuSeconds } from './procfs.js';

/** CPU used by each component (server, PostgreSQL, load client, the rest of the machine) over a window. */

export interface CpuSnap {
  at: number;
  hrUs: number;
  server: number;
  serverSys: number;
  postgres: number;
  client: number;
  sys: ReturnType<typeof systemCpuSeconds>;
}

export function cpuSnap(serverPid: number, pgPid: number, clientPid: number): CpuSnap {
  return {
    at: performance.now(),
    hrUs: Number(process.hrtime.bigint() / 1000n),
    server: treeCpuSeconds(serverPid),
    serverSys: treeSysCpuSeconds(serverPid),
    postgres: treeCpuSeconds(pgPid),
    client: treeCpuSeconds(clientPid),
    sys: systemCpuSeconds(),
  };
}

export interface CpuUse {
  window_s: number;
  /** Cores busy on average over the window (2 = both cores of this machine fully used). */
  server_cores: number;
  /** Part of server_cores spent in the kernel (socket system calls). */
  server_kernel_cores: number;
  postgres_cores: number;
  load_client_cores: number;
  other_cores: number;
  machine_busy_cores: number;
  machine_iowait_cores: number;
  /** irq + softirq: loopback TCP is processed here, charged to no process. */
  machine_irq_cores: number;
  machine_steal_cores: number;
  machine_cores: number;
}

export function cpuUse(a: CpuSnap, b: CpuSnap): CpuUse {
  const s = (b.at - a.at) / 1000;
  const r2 = (x: number) => Math.round((x / s) * 100) / 100;
  const busy = b.sys.busy - a.sys.busy;
  const irq = b.sys.irq - a.sys.irq;
  const known = b.server - a.server + (b.postgres - a.postgres) + (b.client - a.client) + irq;
  return {
    window_s: Math.round(s * 100) / 100,
    server_cores: r2(b.server - a.server),
    server_kernel_cores: r2(b.serverSys - a.serverSys),
    postgres_cores: r2(b.postgres - a.postgres),
    load_client_cores: r2(b.client - a.client),
    other_cores: r2(Math.max(0, busy - known)),
    machine_busy_cores: r2(busy),
    machine_iowait_cores: r2(b.sys.iowait - a.sys.iowait),
    machine_irq_cores: r2(irq),
    machine_steal_cores: r2(b.sys.steal - a.sys.steal),
    machine_cores: b.sys.cores,
  };
}

/** CPU milliseconds each component spent per request of the window: comparable even on a busy machine. */
export function cpuMsPerRequest(cpu: CpuUse | null, requests: number): Record<string, number> | null {
  if (!cpu || requests === 0) return null;
  const per = (cores: number) => Math.round(((cores * cpu.window_s * 1000) / requests) * 1000) / 1000;
  return {
    server: per(cpu.server_cores),
    postgres: per(cpu.postgres_cores),
    load_client: per(cpu.load_client_cores),
    irq: per(cpu.machine_irq_cores),
  };
}
