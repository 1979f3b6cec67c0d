import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The import as production runs it: compiled JavaScript (its worker threads load the compiled
 * worker), built incrementally into a cache folder of its own. Returns the compiled child script.
 */
export function compileImportChild(repoRoot: string): string {
  const cache = path.join(repoRoot, 'node_modules/.cache/owabi-bench-import');
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
      include: ['src', 'bench/import-child.ts'].map((p) => path.join(repoRoot, p)),
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
  const child = path.join(outDir, 'bench/import-child.js');
  // Type errors still emit JavaScript; a missing file is fatal.
  if (tsc.status !== 0) console.error(`tsc reported errors:\n${tsc.stdout.slice(0, 2000)}`);
  if (!existsSync(child)) throw new Error(`the build produced no ${child}`);
  return child;
}
