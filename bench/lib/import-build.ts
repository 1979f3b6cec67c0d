import { existsSync } from 'node:fs';
import path from 'node:path';
import { compileInto } from './redeem-build.js';

/**
 * The import as production runs it: compiled JavaScript (its worker threads load the compiled
 * worker), built incrementally into a cache folder of its own. Returns the compiled child script.
 */
export function compileImportChild(repoRoot: string): string {
  const { outDir, tsc } = compileInto(repoRoot, 'owabi-bench-import', ['src', 'bench/import-child.ts']);
  const child = path.join(outDir, 'bench/import-child.js');
  // Type errors still emit JavaScript; a missing file is fatal.
  if (tsc.status !== 0) console.error(`tsc reported errors:\n${tsc.stdout.slice(0, 2000)}`);
  if (!existsSync(child)) throw new Error(`the build produced no ${child}`);
  return child;
}
