import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per package or
 * source file, and inclusive time per package (the share of samples with that package anywhere on
 * the stack), enough to say where a web process spends its CPU.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  topSelf: { fn: string; ms: number; pct: number }[];
  selfByArea: { area: string; ms: number; pct: number }[];
  inclusiveByArea: { area: string; ms: number; pct: number }[];
}

/** node_modules package, app source file, node internals, or a V8 pseudo-frame. */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // The bench's own build (bench/lib/redeem-build.ts) lives under node_modules/.cache: app code.
  const built = /node_modules\/\.cache\/owabi-bench\/dist\/(.*)$/.exec(url);
  if (built) return built[1]!.replace(/\.js$/, '.ts');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const app = /\/(src|views|migrations)\/(.*)$/.exec(url);
  if (app) return `${app[1]}/${app[2]}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per profile node, from the samples taken within `window` (all samples without one).
 * Samples are stamped by adding each time delta to the profile's start time.
 */
function selfTimeByNode(p: CpuProfile, window?: { fromUs: number; toUs: number }): Map<number, number> {
  const selfUs = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const delta = p.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  return selfUs;
}

const add = (m: Map<string, number>, key: string, us: number) => m.set(key, (m.get(key) ?? 0) + us);

/** Adds `us` to every area on the node's stack, once per area. */
function addInclusive(
  areaIncl: Map<string, number>,
  id: number,
  us: number,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
): void {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!.callFrame;
    const a = areaOf(f.url, f.functionName);
    if (a === '(root)' || seen.has(a)) continue;
    seen.add(a);
    add(areaIncl, a, us);
  }
}

/**
 * `window`: only samples taken between these CLOCK_MONOTONIC times in µs (process.hrtime.bigint()
 * / 1000 in any process of the machine: V8 stamps samples with the same clock).
 */
export function summariseCpuProfile(
  file: string,
  window?: { fromUs: number; toUs: number },
  top = 25,
): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  let totalUs = 0;
  let idleUs = 0;
  const fnSelf = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  const areaIncl = new Map<string, number>();
  for (const [id, us] of selfTimeByNode(p, window)) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const area = areaOf(url, functionName);
    add(fnSelf, `${functionName || '(anonymous)'} ${area}${url ? `:${lineNumber + 1}` : ''}`, us);
    add(areaSelf, area, us);
    addInclusive(areaIncl, id, us, byId, parent);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const rows = (m: Map<string, number>, key: 'fn' | 'area') =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({
        [key]: k,
        ms: Math.round(us / 1000),
        pct: Math.round((us / busyUs) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    topSelf: rows(fnSelf, 'fn') as ProfileSummary['topSelf'],
    selfByArea: rows(areaSelf, 'area') as ProfileSummary['selfByArea'],
    inclusiveByArea: rows(areaIncl, 'area') as ProfileSummary['inclusiveByArea'],
  };
}

export function formatProfileSummary(name: string, s: ProfileSummary): string {
  const busy = s.totalMs - s.idleMs;
  const lines = [`CPU profile ${name}: ${busy} ms busy of ${s.totalMs} ms (percentages of busy time)`];
  lines.push('  self time by area:');
  for (const r of s.selfByArea.slice(0, 15)) lines.push(`    ${r.pct.toFixed(1).padStart(5)}%  ${r.area}`);
  lines.push('  inclusive time by area (on the stack):');
  for (const r of s.inclusiveByArea.slice(0, 15))
    lines.push(`    ${r.pct.toFixed(1).padStart(5)}%  ${r.area}`);
  lines.push('  top functions by self time:');
  for (const r of s.topSelf) lines.push(`    ${r.pct.toFixed(1).padStart(5)}%  ${r.fn}`);
  return lines.join('\n');
}
