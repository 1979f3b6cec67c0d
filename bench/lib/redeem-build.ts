import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { redeemLog as log } from './log.js';

/**
 * What production runs: the service compiled to JavaScript (`npm run build` → `node dist/…`), not
 * TypeScript through tsx. The bench compiles the working tree into a folder of its own under
 * node_modules/.cache (so it never replaces a `dist/` someone else is running; packages and views/
 * are still found by walking up from there), incrementally, with the baseline server alongside.
 */
export interface CompiledEntries {
  /** `node` arguments that start the service and the baseline. */
  service: string[];
  baseline: string[];
  how: string;
}

export function compileForBench(repoRoot: string, useTsx: boolean): CompiledEntries {
  if (useTsx)
    return {
      service: ['--import', 'tsx', 'src/app/main.ts'],
      baseline: ['--import', 'tsx', 'bench/baseline-server.ts'],
      how: 'TypeScript through tsx (--tsx)',
    };
  const started = Date.now();
  const { outDir, tsc } = compileInto(repoRoot, 'owabi-bench', [
    'src',
    'migrations',
    'jobs',
    'scripts',
    'bench/baseline-server.ts',
  ]);
  const main = path.join(outDir, 'src/app/main.js');
  const baseline = path.join(outDir, 'bench/baseline-server.js');
  // Type errors still emit JavaScript (another change may be half-way); a missing file is fatal.
  if (tsc.status !== 0)
    log(`tsc reported errors (the JavaScript is emitted anyway):\n${tsc.stdout.slice(0, 2000)}`);
  if (!existsSync(main) || !existsSync(baseline)) throw new Error(`the build produced no ${main}`);
  log(
    `compiled with tsc in ${((Date.now() - started) / 1000).toFixed(1)} s into ${path.relative(repoRoot, outDir)}`,
  );
  return { service: [main], baseline: [baseline], how: 'compiled JavaScript (tsc, as `npm run build`)' };
}

/**
 * Compiles `include` (paths under the repository) with tsconfig.build.json's settings into
 * node_modules/.cache/<cacheName>/dist, incrementally. Type errors still emit JavaScript.
 */
export function compileInto(repoRoot: string, cacheName: string, include: string[]) {
  const cache = path.join(repoRoot, 'node_modules/.cache', cacheName);
  const outDir = path.join(cache, 'dist');
  mkdirSync(cache, { recursive: true });
  const tsconfig = path.join(cache, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: path.join(repoRoot, 'tsconfig.build.json'),
      compilerOptions: {
        outDir,
        rootDir: repoRoot,
        sourceMap: false,
        incremental: true,
        tsBuildInfoFile: path.join(cache, 'build.tsbuildinfo'),
      },
      include: include.map((p) => path.join(repoRoot, p)),
    }),
  );
  const tsc = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', tsconfig],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  return { outDir, tsc };
}

/**
 * A script as production runs it: `include` compiled (compileInto), then `entry`'s compiled path
 * (e.g. jobs/worker.js). Type errors still emit JavaScript and are printed; a missing file is fatal.
 */
export function compileEntry(repoRoot: string, cacheName: string, include: string[], entry: string): string {
  const { outDir, tsc } = compileInto(repoRoot, cacheName, include);
  const script = path.join(outDir, entry);
  if (tsc.status !== 0) console.error(`tsc reported errors:\n${tsc.stdout.slice(0, 2000)}`);
  if (!existsSync(script)) throw new Error(`the build produced no ${script}`);
  return script;
}
