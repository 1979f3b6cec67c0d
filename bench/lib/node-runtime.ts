import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The node binary a benchmark runs its servers and load client on, and its version. */
export interface NodeRuntime {
  bin: string;
  version: string;
}

/**
 * `lts`: the Node 24 LTS the production image runs (node:24 in the Dockerfile), installed into .cache
 * by scripts/ensure.sh as CI does; `current`: the node running this script; otherwise a path.
 * Measuring on the machine's older node would understate the service: here Node 24 spent about a
 * third to a half less web CPU per page than Node 20 (README, Benchmarks).
 */
export function resolveNodeRuntime(choice: string): NodeRuntime {
  const bin = choice === 'current' ? process.execPath : choice === 'lts' ? installedLts() : choice;
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0)
    throw new Error(`--node ${choice}: ${bin} --version failed: ${probe.stderr || probe.error}`);
  return { bin, version: probe.stdout.trim() };
}

function installedLts(): string {
  const out = spawnSync('bash', ['-c', '. scripts/ensure.sh && ensure_node24'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (out.status !== 0) throw new Error('scripts/ensure.sh could not install Node 24 (use --node current)');
  return path.join(out.stdout.trim(), 'node');
}

/**
 * For a bench that runs the service's code in its own process (bench:jobs, bench:postcards): runs
 * this script again, with the same loader flags and arguments, on the chosen node, and exits with
 * its status; returns only in the process that already runs there.
 */
export function runBenchOn(choice: string): NodeRuntime {
  const runtime = resolveNodeRuntime(choice);
  if (realpathSync(runtime.bin) === realpathSync(process.execPath)) return runtime;
  const again = spawnSync(runtime.bin, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}
