import { recordAudit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import type { ImportLease } from './import.lease.js';
import type { ImportReport } from './import.report.js';
import type { RunFiles } from './import-runs.files.js';
import { finishLetters, reconcileLetters } from './import-runs.letter-parts.js';
import { existingRegistrationCodes, finishImportRun, type ImportRunRow } from './import-runs.repo.js';

/** The end of an import run: recorded with its audit entry, then its upload deleted. */
export interface ImportRunReport {
  /** Data lines in the uploaded file (the progress bar's total), counted at upload. */
  expectedRows: number;
  result?: ImportReport;
  /** Why the run failed, for the operator (no personal data). */
  error?: string;
}

export type RunDeps = Pick<AppDeps, 'db' | 'pool' | 'config' | 'logger' | 'store' | 'now'>;

export type ImportRunOutcome =
  | { runId: string; skipped: true }
  | { runId: string; state: 'done' | 'failed'; imported: number; rowsRead: number };

/** The run being imported, with its files (object keys) and what its upload said to expect. */
export interface RunInProgress {
  run: ImportRunRow;
  upload: string;
  letters: string;
  expectedRows: number;
  /** The campaign's import lease, held by the run from start to end. */
  lease: ImportLease;
}

interface RunEnd {
  state: 'done' | 'failed';
  report: ImportRunReport;
  rowsRead: number;
  imported: number;
}

/**
 * A failed run keeps the letters of the customers actually committed (the only copy of their login
 * keys) and says why it failed.
 */
export async function failRun(
  deps: RunDeps,
  current: RunInProgress,
  error: string,
  result?: ImportReport,
): Promise<ImportRunOutcome> {
  const { run } = current;
  const kept = await reconcileLetters(deps.store, runFiles(run), (codes) =>
    existingRegistrationCodes(deps.db, run.campaign_id, codes),
  );
  return finishRun(deps, current, {
    state: 'failed',
    report: { expectedRows: current.expectedRows, error, ...(result ? { result } : {}) },
    rowsRead: result?.rowsRead ?? 0,
    imported: kept,
  });
}

export const runFiles = (run: Pick<ImportRunRow, 'id' | 'campaign_id'>): RunFiles => ({
  campaignId: run.campaign_id,
  runId: run.id,
});

/**
 * Makes the letter print file of the run's letters, records the end, then deletes the upload (it
 * is personal data); no letters, no letter file.
 */
export async function finishRun(
  deps: RunDeps,
  current: RunInProgress,
  end: RunEnd,
): Promise<ImportRunOutcome> {
  const { run, upload, letters } = current;
  const hasLetters = await finishLetters(deps.store, runFiles(run), end.imported > 0);
  await deps.db.transaction().execute(async (trx) => {
    await finishImportRun(trx, run.id, {
      state: end.state,
      rowsRead: end.rowsRead,
      imported: end.imported,
      report: end.report,
      lettersFile: hasLetters ? letters : null,
      at: deps.now(),
    });
    await recordAudit(
      trx,
      {
        staffId: null,
        action: end.state === 'done' ? 'campaign.import_done' : 'campaign.import_failed',
        targetType: 'import_run',
        targetId: run.id,
        campaignId: run.campaign_id,
        details: {
          rowsRead: end.rowsRead,
          imported: end.imported,
          badRows: end.report.result?.badRowCount ?? 0,
          likelyDuplicates: end.report.result?.likelyDuplicateCount ?? 0,
        },
      },
      deps.now(),
    );
  });
  await deps.store.delete(upload);
  return { runId: run.id, state: end.state, imported: end.imported, rowsRead: end.rowsRead };
}
