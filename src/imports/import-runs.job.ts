import { finished } from 'node:stream/promises';
import { isAppError } from '../platform/errors.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { CsvFormatError, ImportAbortedError, importCustomers, type ImportReport } from './import.service.js';
import { describeCsvError } from './import-runs.files.js';
import {
  failRun,
  finishRun,
  runFiles,
  type ImportRunOutcome,
  type RunDeps,
  type RunInProgress,
} from './import-runs.finish.js';
import { hasLetters, openLetterParts, reconcileLetters } from './import-runs.letter-parts.js';
import { existingRegistrationCodes, markRunning, updateProgress } from './import-runs.repo.js';
import { IMPORT_TEXT } from './imports.messages.js';

/**
 * The import step of a run: its upload (streamed from storage) into the campaign, its letters into
 * parts in storage. A run found with letters was interrupted (worker killed): they are cut back to
 * the customers actually committed and the import continues, adding parts; rows already imported
 * are skipped by importCustomers, so every imported customer ends up with exactly one letter.
 */
export async function importRunFile(
  deps: RunDeps,
  current: RunInProgress,
  campaign: CampaignRow,
): Promise<ImportRunOutcome> {
  const { run, upload, letters } = current;
  const files = runFiles(run);
  const keptBefore = (await hasLetters(deps.store, files))
    ? await reconcileLetters(deps.store, files, (codes) =>
        existingRegistrationCodes(deps.db, run.campaign_id, codes),
      )
    : 0;
  await markRunning(deps.db, run.id, letters);
  const out = await openLetterParts(deps.store, files);
  out.on('error', () => undefined);
  const progress = progressRecorder(deps, run.id, keptBefore);
  try {
    const report = await importCustomers(
      { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER, publicBaseUrl: deps.config.PUBLIC_BASE_URL },
      {
        campaignId: run.campaign_id,
        leakedItemKeys: campaign.definition.leakedItems.map((i) => i.key),
        input: await deps.store.get(upload, { sensitive: true }),
        letters: out,
        onProgress: progress.record,
        lease: current.lease,
      },
    );
    out.end();
    await finished(out);
    await progress.saved();
    return finishRun(deps, current, {
      state: 'done',
      report: { expectedRows: current.expectedRows, result: countedOnce(report, keptBefore) },
      rowsRead: report.rowsRead,
      imported: report.imported + keptBefore,
    });
  } catch (err) {
    out.end();
    await finished(out).catch(() => undefined);
    await progress.saved();
    return failRun(deps, current, whyStopped(deps, run.id, err), partialReport(err));
  }
}

/** Customers of an interrupted attempt were counted there, not as "already imported" here. */
const countedOnce = (report: ImportReport, keptBefore: number): ImportReport => ({
  ...report,
  imported: report.imported + keptBefore,
  alreadyImported: Math.max(report.alreadyImported - keptBefore, 0),
});

const partialReport = (err: unknown) => (err instanceof ImportAbortedError ? err.report : undefined);

/** The operator's reason for a stopped import; a system error is logged (without data) and named as such. */
function whyStopped(deps: RunDeps, runId: string, err: unknown): string {
  const cause = err instanceof ImportAbortedError ? err.cause : err;
  if (cause instanceof CsvFormatError) return describeCsvError(cause);
  if (isAppError(cause)) return cause.publicMessage;
  deps.logger.error(
    {
      importRun: runId,
      err: {
        type: (cause as Error)?.name,
        code: (cause as { code?: string })?.code,
        message: (cause as Error)?.message,
      },
    },
    'customer import failed',
  );
  return IMPORT_TEXT.stoppedBySystemError;
}

/** Saves the progress bar's counts at most once a second, one save after the other. */
function progressRecorder(deps: RunDeps, runId: string, keptBefore: number) {
  let lastSavedAt = 0;
  let saving = Promise.resolve();
  const record = (p: { rowsRead: number; imported: number }) => {
    const t = Date.now();
    if (t - lastSavedAt < 1_000) return;
    lastSavedAt = t;
    saving = saving
      .then(() => updateProgress(deps.db, runId, p.rowsRead, keptBefore + p.imported))
      .catch((err: Error) =>
        deps.logger.warn(
          { err: { type: err.name, code: (err as { code?: string }).code }, importRun: runId },
          'import progress not saved',
        ),
      );
  };
  return { record, saved: () => saving };
}
