import { createReadStream } from 'node:fs';
import { recordAudit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { holdUploadsOpen } from '../platform/upload-sweep.repo.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { checkCustomerCsvHeader, importUploadKey, lettersKey } from './import-runs.files.js';
import { failRun, type ImportRunOutcome, type ImportRunReport, type RunDeps } from './import-runs.finish.js';
import { importRunFile } from './import-runs.job.js';
import { findImportRun, insertImportRun } from './import-runs.repo.js';
import { withImportLease, type ImportLease } from './import.lease.js';
import {
  CustomerCsvHeaderInvalid,
  EmptyCustomerFile,
  ImportIntoPurgedCampaign,
  NoCustomerFile,
} from './imports.errors.js';
import { IMPORT_TEXT } from './imports.messages.js';

export type { ImportRunOutcome, ImportRunReport } from './import-runs.finish.js';

/**
 * Customer imports from the console. The upload becomes a run (queued) and a job intent in one
 * transaction; the job imports the CSV with importCustomers, shows its progress, keeps the letter
 * print file and deletes the upload. What a run stores is counts, line numbers and messages only.
 */
export const importJobId = (runId: string) => `import-customers-${runId}`;

export interface CustomerUpload {
  path: string;
  size: number;
  lineCount: number;
}

/** Refuses a purged campaign, a missing or empty file and a file whose first line is not the header. */
export async function startImportRun(
  deps: Pick<AppDeps, 'db' | 'store' | 'now'>,
  input: { campaign: Pick<CampaignRow, 'id' | 'state'>; staffId: string; upload: CustomerUpload | undefined },
): Promise<string> {
  const { campaign, upload } = input;
  if (campaign.state === 'purged') throw ImportIntoPurgedCampaign();
  if (!upload) throw NoCustomerFile();
  if (upload.size === 0) throw EmptyCustomerFile();
  const headerProblem = await checkCustomerCsvHeader(upload.path);
  if (headerProblem) throw CustomerCsvHeaderInvalid(headerProblem);
  let stored: string | undefined;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const report: ImportRunReport = { expectedRows: Math.max(upload.lineCount - 1, 0) };
      const runId = await insertImportRun(trx, { campaignId: campaign.id, startedBy: input.staffId, report });
      // Stored before the run commits (so the job always finds it); the sweep leaves it alone meanwhile.
      await holdUploadsOpen(trx, campaign.id);
      stored = importUploadKey(campaign.id, runId);
      await deps.store.put(stored, createReadStream(upload.path), { sensitive: true });
      await addToOutbox(trx, 'import-customers', importJobId(runId), { importRunId: runId });
      await recordAudit(
        trx,
        {
          staffId: input.staffId,
          action: 'campaign.import_upload',
          targetType: 'import_run',
          targetId: runId,
          campaignId: campaign.id,
          details: { bytes: upload.size, expectedRows: report.expectedRows },
        },
        deps.now(),
      );
      return runId;
    });
  } catch (err) {
    if (stored) await deps.store.delete(stored);
    throw err;
  }
}

/**
 * The job. Idempotent: a finished run is skipped; runs of one campaign wait for each other (the
 * campaign's import lease: a retried job never runs beside a live copy of itself, and takes a
 * crashed one's lease over once it expired), and an interrupted run continues where it stopped
 * (see importRunFile).
 */
export async function runImportRun(deps: RunDeps, runId: string): Promise<ImportRunOutcome> {
  const first = /^\d{1,18}$/.test(runId) ? await findImportRun(deps.db, runId) : undefined;
  if (!first) return { runId, skipped: true };
  return withImportLease(deps.pool, first.campaign_id, 'wait', (lease) => runLocked(deps, runId, lease));
}

async function runLocked(deps: RunDeps, runId: string, lease: ImportLease): Promise<ImportRunOutcome> {
  const run = await findImportRun(deps.db, runId);
  if (!run) return { runId, skipped: true };
  const upload = importUploadKey(run.campaign_id, runId);
  const letters = lettersKey({ campaignId: run.campaign_id, runId });
  if (run.state === 'done' || run.state === 'failed') {
    await deps.store.delete(upload); // a crash after the end was recorded may have left it
    return { runId, skipped: true };
  }
  const expectedRows = (run.report as ImportRunReport | null)?.expectedRows ?? 0;
  const current = { run, upload, letters, expectedRows, lease };
  const campaign = await findCampaignById(deps.db, run.campaign_id);
  if (!campaign || campaign.state === 'purged') return failRun(deps, current, IMPORT_TEXT.campaignGone);
  if (!(await deps.store.exists(upload))) return failRun(deps, current, IMPORT_TEXT.uploadMissing);
  return importRunFile(deps, current, campaign);
}
