import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AppDeps } from './deps.js';
import { importRunsInProgress } from './upload-sweep.repo.js';

/**
 * Uploaded files hold personal data (customer CSVs) or gift codes (e-money code files). A request
 * removes its upload when it ends and an import run removes its CSV when it finishes, but a crash,
 * a killed worker or a full disk can leave one behind. This sweep deletes, under DATA_DIR:
 * - `uploads/*`: files a request was receiving or handling, older than `maxAgeMs`: no run ever
 *   refers to them (a run's CSV is moved to `imports/` when the run is created);
 * - `imports/run-<id>.csv` older than `maxAgeMs` whose run is not queued or running (finished,
 *   failed, or never committed).
 * Letter print files (`letters/`) are not uploads: they wait for their download and are never swept.
 */
export const UPLOAD_MAX_AGE_MS = 24 * 3600_000;

const RUN_FILE = /^run-(\d{1,18})\.csv$/;

async function oldFiles(dir: string, before: number): Promise<string[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const old: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const s = await stat(file).catch(() => undefined);
    if (s?.isFile() && s.mtimeMs < before) old.push(file);
  }
  return old;
}

export async function sweepUploads(
  deps: Pick<AppDeps, 'db' | 'config' | 'now' | 'logger'>,
  maxAgeMs = UPLOAD_MAX_AGE_MS,
): Promise<{ removed: number; kept: number }> {
  const dataDir = path.resolve(deps.config.DATA_DIR);
  const before = deps.now().getTime() - maxAgeMs;
  const uploads = await oldFiles(path.join(dataDir, 'uploads'), before);
  const imports = await oldFiles(path.join(dataDir, 'imports'), before);
  const inProgress = imports.length ? await importRunsInProgress(deps.db) : new Set<string>();
  const referenced = (file: string) => {
    const id = RUN_FILE.exec(path.basename(file))?.[1];
    return id !== undefined && inProgress.has(id);
  };
  const doomed = [...uploads, ...imports.filter((f) => !referenced(f))];
  for (const file of doomed) await rm(file, { force: true });
  if (doomed.length) deps.logger.info({ removed: doomed.length }, 'orphaned uploads removed');
  return { removed: doomed.length, kept: imports.length - (doomed.length - uploads.length) };
}
