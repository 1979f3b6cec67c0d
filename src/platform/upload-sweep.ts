import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AppDeps } from './deps.js';
import { campaignPrefix, type ObjectStore } from './storage/storage.js';
import {
  campaignsNotPurged,
  existingImportRuns,
  importRunsInProgress,
  tryHoldUploadsClosed,
} from './upload-sweep.repo.js';

/**
 * Uploaded files hold personal data (customer CSVs) or gift codes (e-money code files). A request
 * removes its temporary file when it ends and an import run removes its stored CSV when it
 * finishes, but a crash or a killed worker can leave one behind. This sweep deletes:
 * - in this machine's upload temp folders (os.tmpdir()/owabi-uploads-*), files older than
 *   `maxAgeMs`: no request lasts that long;
 * - in the object store, `campaigns/<id>/imports/run-<id>.csv` whose run is not queued or running
 *   (finished, failed, or never committed: those only while no upload is being stored).
 * Letter print files are not uploads: they wait for their download and are never swept.
 */
export const UPLOAD_MAX_AGE_MS = 24 * 3600_000;

/** The name every web process's upload temp folder starts with (operators/uploads.ts). */
export const UPLOAD_TEMP_PREFIX = 'owabi-uploads-';

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

/** Temporary uploads of every web process of this machine, older than `before`. */
async function oldTempUploads(before: number): Promise<string[]> {
  const names = await readdir(os.tmpdir()).catch(() => [] as string[]);
  const dirs = names.filter((n) => n.startsWith(UPLOAD_TEMP_PREFIX)).map((n) => path.join(os.tmpdir(), n));
  return (await Promise.all(dirs.map((dir) => oldFiles(dir, before)))).flat();
}

/** A campaign's stored customer CSVs (keys), with their run ids. */
async function storedUploads(store: ObjectStore, campaignId: string): Promise<Map<string, string>> {
  const prefix = `${campaignPrefix(campaignId)}imports/`;
  const runOf = new Map<string, string>();
  for await (const { key } of store.list(prefix)) {
    const id = RUN_FILE.exec(key.slice(prefix.length))?.[1];
    if (id !== undefined) runOf.set(key, id);
  }
  return runOf;
}

/** Deletes a campaign's stored CSVs no run will read; returns how many went and how many stay. */
async function sweepCampaignUploads(
  deps: Pick<AppDeps, 'db' | 'store'>,
  campaignId: string,
): Promise<{ removed: number; kept: number }> {
  const runOf = await storedUploads(deps.store, campaignId);
  if (runOf.size === 0) return { removed: 0, kept: 0 };
  return deps.db.transaction().execute(async (trx) => {
    // Held until the end: no upload of the campaign can be stored (and look orphaned) meanwhile.
    const noneBeingStored = await tryHoldUploadsClosed(trx, campaignId);
    const inProgress = await importRunsInProgress(trx);
    const candidates = [...runOf].filter(([, id]) => !inProgress.has(id));
    const existing = await existingImportRuns(
      trx,
      candidates.map(([, id]) => id),
    );
    const doomed = candidates.filter(([, id]) => noneBeingStored || existing.has(id)).map(([key]) => key);
    for (const key of doomed) await deps.store.delete(key);
    return { removed: doomed.length, kept: runOf.size - doomed.length };
  });
}

export async function sweepUploads(
  deps: Pick<AppDeps, 'db' | 'store' | 'now' | 'logger'>,
  maxAgeMs = UPLOAD_MAX_AGE_MS,
): Promise<{ removed: number; kept: number }> {
  const temporary = await oldTempUploads(deps.now().getTime() - maxAgeMs);
  for (const file of temporary) await rm(file, { force: true });
  let removed = temporary.length;
  let kept = 0;
  for (const campaignId of await campaignsNotPurged(deps.db)) {
    const swept = await sweepCampaignUploads(deps, campaignId);
    removed += swept.removed;
    kept += swept.kept;
  }
  if (removed) deps.logger.info({ removed }, 'orphaned uploads removed');
  return { removed, kept };
}
