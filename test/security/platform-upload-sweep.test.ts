import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importUploadKey } from '../../src/imports/import-runs.files.js';
import { finishImportRun, insertImportRun } from '../../src/imports/import-runs.repo.js';
import { uploadTempDir } from '../../src/operators/uploads.js';
import { createHandlers } from '../../src/app/job-handlers.js';
import type { JobDeps } from '../../src/platform/job-deps.js';
import { sweepUploads } from '../../src/platform/upload-sweep.js';
import { useScratchDir, useTestDeps } from '../support/context.js';
import { buildCampaign } from '../support/factories.js';
import { buildStaff } from '../support/ops.js';

/**
 * ASVS 5.0.0 14.2.7 — "Verify that sensitive information is subject to data retention
 * classification, ensuring that outdated or unnecessary data is deleted automatically, on a defined
 * schedule": an upload (customer CSV, gift codes) left behind by a crash is deleted after a day by
 * the hourly `sweep-uploads` job, unless an import run in progress still needs it: a request's
 * temporary file after a day, a stored customer CSV as soon as no run will read it.
 */
const dataDir = useScratchDir();
const deps = useTestDeps({}, { DATA_DIR: dataDir });

const TWO_DAYS_AGO = new Date(Date.now() - 2 * 86_400_000);
const CSV = 'name,address\r\n鈴木 一郎,東京都\r\n';

/** A request's temporary upload (this process's upload folder). */
function file(name: string, old: boolean): string {
  const p = path.join(uploadTempDir(), name);
  writeFileSync(p, CSV, { mode: 0o600 });
  if (old) utimesSync(p, TWO_DAYS_AGO, TWO_DAYS_AGO);
  return p;
}

/** A customer CSV in the object store, as an upload stores it for its run. */
async function stored(campaignId: string, runId: string): Promise<string> {
  const key = importUploadKey(campaignId, runId);
  await deps.store.put(key, CSV, { sensitive: true });
  return key;
}

async function importRun(state: 'queued' | 'done') {
  const campaign = await buildCampaign(deps);
  const staff = await buildStaff(deps, 'supervisor');
  const id = await insertImportRun(deps.db, { campaignId: campaign.id, startedBy: staff.id, report: {} });
  if (state === 'done')
    await finishImportRun(deps.db, id, {
      state: 'done',
      rowsRead: 0,
      imported: 0,
      report: {},
      lettersFile: null,
      at: new Date(),
    });
  return { campaignId: campaign.id, id };
}

describe('ASVS 5.0.0 14.2.7 the upload sweep', () => {
  it('when uploads are older than a day and no import run in progress refers to them, then they are deleted; others stay', async () => {
    const queued = await importRun('queued');
    const done = await importRun('done');
    const orphanUpload = file('0b6c7d.upload', true);
    const freshUpload = file('1f2e3d.upload', false);
    const neededCsv = await stored(queued.campaignId, queued.id);
    const finishedCsv = await stored(done.campaignId, done.id);
    const unknownCsv = await stored(done.campaignId, '999999999');
    const letters = `campaigns/${done.campaignId}/letters/run-1-letters.csv`;
    await deps.store.put(letters, CSV, { sensitive: true });

    const result = await sweepUploads(deps);

    expect(existsSync(orphanUpload)).toBe(false);
    expect(await deps.store.exists(finishedCsv)).toBe(false);
    expect(await deps.store.exists(unknownCsv)).toBe(false);
    expect(existsSync(freshUpload)).toBe(true); // maybe still being received
    expect(await deps.store.exists(neededCsv)).toBe(true); // its run will read it
    expect(await deps.store.exists(letters)).toBe(true); // not an upload: waits for its download
    expect(result.removed).toBe(3);
  });

  it('when the worker runs the job, then it sweeps (it is a job of its own, on a schedule)', async () => {
    const orphan = file('2a3b4c.upload', true);
    const handlers = createHandlers({ ...deps, redis: undefined as never } as JobDeps, {} as never);
    expect(await handlers['sweep-uploads']({})).toMatchObject({ removed: 1 });
    expect(existsSync(orphan)).toBe(false);
    const { SCHEDULES } = await import('../../jobs/schedules.js');
    expect(SCHEDULES.find((s) => s.name === 'sweep-uploads')?.everyMs).toBeLessThanOrEqual(3_600_000);
  });
});
