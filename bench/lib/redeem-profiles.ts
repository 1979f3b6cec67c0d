import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onCleanup } from './cleanups.js';
import { formatProfileSummary, summariseCpuProfile } from './cpuprofile.js';

/**
 * --cpu-prof: the web processes write their profiles into one directory, kept only when the run
 * got as far as reporting them.
 */
export interface ProfileDir {
  path: string;
  keep: boolean;
}

export function prepareProfileDir(cpuProf: boolean): ProfileDir {
  const dir: ProfileDir = { path: path.join(os.tmpdir(), `owabi-bench-prof-${Date.now()}`), keep: false };
  if (cpuProf) {
    mkdirSync(dir.path, { recursive: true });
    onCleanup('profiles', () => (dir.keep ? undefined : rmSync(dir.path, { recursive: true, force: true })));
  }
  return dir;
}

/** A summary of each web process's profile over the measured window. */
export function summariseWebProfiles(dir: string, window: { fromUs: number; toUs: number } | null): string[] {
  const profiles: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const s = summariseCpuProfile(path.join(dir, f), window ?? undefined);
    if (s.totalMs - s.idleMs < 500) continue; // the cluster primary: it only hands out connections
    profiles.push(formatProfileSummary(f, s));
  }
  return profiles;
}
