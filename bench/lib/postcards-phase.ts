import { postcardsLog as log } from './log.js';
import { percentile, round1 } from './postcards-client.js';
import { systemCpuSeconds, treeCpuSeconds, waitForQuiet } from './procfs.js';

/**
 * Runs a phase once the machine is quiet (other work shares these cores), and reports how many
 * cores other processes used meanwhile (this process and its PostgreSQL are not counted), and the
 * CPU seconds this process and its PostgreSQL used: per card, the figure other work disturbs least.
 */
export async function measurePhase<T>(
  name: string,
  quietWaitS: number,
  run: () => Promise<T>,
): Promise<{
  value: T;
  otherCores: number;
  cpuSeconds: number;
  nodeCpuSeconds: number;
  iowaitCores: number;
}> {
  const busyBefore = await waitForQuiet(0.3, quietWaitS * 1000);
  if (busyBefore > 0.3) log(`${name}: the machine is still busy (${busyBefore} cores) — measuring anyway`);
  const [sys0, own0, node0, t0] = [
    systemCpuSeconds(),
    treeCpuSeconds(process.pid),
    process.cpuUsage(),
    performance.now(),
  ];
  const value = await run();
  const seconds = (performance.now() - t0) / 1000;
  const [sys1, own1, node1] = [systemCpuSeconds(), treeCpuSeconds(process.pid), process.cpuUsage(node0)];
  const otherCores = round1((sys1.busy - sys0.busy - (own1 - own0)) / seconds);
  // Cores idle while a process waited on the disk: a phase bound by I/O rather than CPU shows here.
  const iowaitCores = Math.round(((sys1.iowait - sys0.iowait) / seconds) * 100) / 100;
  log(`${name}: other processes used ${otherCores} cores meanwhile; iowait ${iowaitCores} cores`);
  // This process alone (the app, in process, and the bench's client); the rest of the tree is PostgreSQL.
  const nodeCpuSeconds = (node1.user + node1.system) / 1e6;
  return { value, otherCores, cpuSeconds: own1 - own0, nodeCpuSeconds, iowaitCores };
}

export type LatencyFigures = { p50: number; p99: number; max: number };

export const latencyFigures = (xs: number[]): LatencyFigures => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round1(percentile(s, 50)), p99: round1(percentile(s, 99)), max: round1(s.at(-1) ?? NaN) };
};
