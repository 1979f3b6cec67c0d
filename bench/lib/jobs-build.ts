import { existsSync } from 'node:fs';
import path from 'node:path';
import { compileInto } from './redeem-build.js';

/**
 * The job worker as production runs it (`npm run worker:prod`): compiled JavaScript, built
 * incrementally into a cache folder of its own. Returns the compiled worker script.
 */
export function compileJobWorker(repoRoot: string): string {
  const { outDir, tsc } = compileInto(repoRoot, 'owabi-bench-jobs', ['src', 'jobs']);
  const worker = path.join(outDir, 'jobs/worker.js');
  // Type errors still emit JavaScript; a missing file is fatal.
  if (tsc.status !== 0) console.error(`tsc reported errors:\n${tsc.stdout.slice(0, 2000)}`);
  if (!existsSync(worker)) throw new Error(`the build produced no ${worker}`);
  return worker;
}
