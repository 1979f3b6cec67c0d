import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { recordAudit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import { AppError, isAppError } from '../platform/errors.js';
import { addToOutbox } from '../platform/outbox/outbox.repo.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { CsvFormatError, ImportAbortedError, importCustomers, type ImportReport } from './import.service.js';
import { LETTER_HEADER } from './import.encoding.js';
import {
  checkCustomerCsvHeader,
  describeCsvError,
  ensurePrivateDir,
  exists,
  importUploadPath,
  lettersPath,
  moveUpload,
  reconcileLetters,
} from './import-runs.files.js';
import {
  existingRegistrationCodes,
  finishImportRun,
  findImportRun,
  insertImportRun,
  markRunning,
  updateProgress,
  withCampaignRunLock,
} from './import-runs.repo.js';

/**
 * Customer imports from the console. The upload becomes a run (queued) and a job intent in one
 * transaction; the job imports the CSV with importCustomers, shows its progress, keeps the letter
 * print file and deletes the upload. What a run stores is counts, line numbers and messages only.
 */
export interface ImportRunReport {
  /** Data lines in the uploaded file (the progress bar's total), counted at upload. */
  expectedRows: number;
  result?: ImportReport;
  /** Why the run failed, for the operator (no personal data). */
  error?: string;
}

export const importJobId = (runId: string) => `import-customers-${runId}`;

export async function startImportRun(
  deps: Pick<AppDeps, 'db' | 'config' | 'now'>,
  input: { campaignId: string; staffId: string; upload: { path: string; size: number; lineCount: number } },
): Promise<string> {
  const headerProblem = await checkCustomerCsvHeader(input.upload.path);
  if (headerProblem) throw new AppError('validation', headerProblem, { fields: { file: headerProblem } });
  let moved: string | undefined;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const report: ImportRunReport = { expectedRows: Math.max(input.upload.lineCount - 1, 0) };
      const runId = await insertImportRun(trx, {
        campaignId: input.campaignId,
        startedBy: input.staffId,
        report,
      });
      moved = importUploadPath(deps.config.DATA_DIR, runId);
      await moveUpload(input.upload.path, moved);
      await addToOutbox(trx, 'import-customers', importJobId(runId), { importRunId: runId });
      await recordAudit(
        trx,
        {
          staffId: input.staffId,
          action: 'campaign.import_upload',
          targetType: 'import_run',
          targetId: runId,
          campaignId: input.campaignId,
          details: { bytes: input.upload.size, expectedRows: report.expectedRows },
        },
        deps.now(),
      );
      return runId;
    });
  } catch (err) {
    if (moved) await rm(moved, { force: true });
    throw err;
  }
}

type JobDepsLike = Pick<AppDeps, 'db' | 'pool' | 'config' | 'logger' | 'now'>;

export type ImportRunOutcome =
  | { runId: string; skipped: true }
  | { runId: string; state: 'done' | 'failed'; imported: number; rowsRead: number };

/**
 * The job. Idempotent: a finished run is skipped; a run found 'running' was interrupted (worker
 * killed), so its letter file is cut back to the customers actually committed and the import
 * continues, appending: rows already imported are skipped by importCustomers, so every imported
 * customer ends up with exactly one letter.
 */
export async function runImportRun(deps: JobDepsLike, runId: string): Promise<ImportRunOutcome> {
  const first = /^\d{1,18}$/.test(runId) ? await findImportRun(deps.db, runId) : undefined;
  if (!first) return { runId, skipped: true };
  const upload = importUploadPath(deps.config.DATA_DIR, runId);
  const letters = lettersPath(deps.config.DATA_DIR, runId);
  return withCampaignRunLock(deps.pool, first.campaign_id, async () => {
    const run = await findImportRun(deps.db, runId);
    if (!run || run.state === 'done' || run.state === 'failed') {
      await rm(upload, { force: true }); // a crash after the end was recorded may have left it
      return { runId, skipped: true };
    }
    const expectedRows = (run.report as ImportRunReport | null)?.expectedRows ?? 0;
    const fail = async (error: string, result?: ImportReport) => {
      const kept = await reconcileLetters(letters, (codes) =>
        existingRegistrationCodes(deps.db, run.campaign_id, codes),
      );
      return finish(deps, run.id, run.campaign_id, upload, letters, {
        state: 'failed',
        report: { expectedRows, error, ...(result ? { result } : {}) },
        rowsRead: result?.rowsRead ?? 0,
        imported: kept,
      });
    };

    const campaign = await findCampaignById(deps.db, run.campaign_id);
    if (!campaign || campaign.state === 'purged') return fail('キャンペーンが見つからないか、消去済みです。');
    if (!(await exists(upload))) {
      return fail('アップロードされたファイルが見つかりません。もう一度アップロードしてください。');
    }

    // Interrupted before: keep exactly the committed customers' letters, then append to them.
    const resuming = await exists(letters);
    const keptBefore = resuming
      ? await reconcileLetters(letters, (codes) => existingRegistrationCodes(deps.db, run.campaign_id, codes))
      : 0;
    await ensurePrivateDir(letters);
    await markRunning(deps.db, run.id, letters);
    const out = createWriteStream(letters, { flags: resuming ? 'a' : 'wx', mode: 0o600 });
    out.on('error', () => undefined);

    let lastProgressAt = 0;
    let progress = Promise.resolve();
    const onProgress = (p: { rowsRead: number; imported: number }) => {
      const t = Date.now();
      if (t - lastProgressAt < 1_000) return;
      lastProgressAt = t;
      progress = progress
        .then(() => updateProgress(deps.db, run.id, p.rowsRead, keptBefore + p.imported))
        .catch((err: Error) =>
          deps.logger.warn(
            { err: { type: err.name, code: (err as { code?: string }).code }, importRun: run.id },
            'import progress not saved',
          ),
        );
    };

    try {
      const report = await importCustomers(
        { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER },
        {
          campaignId: run.campaign_id,
          leakedItemKeys: campaign.definition.leakedItems.map((i) => i.key),
          input: createReadStream(upload),
          letters: resuming ? withoutHeader(out) : out,
          onProgress,
        },
      );
      out.end();
      await finished(out);
      await progress;
      // Customers of an interrupted attempt were counted there, not as "already imported" here.
      const result = {
        ...report,
        imported: report.imported + keptBefore,
        alreadyImported: Math.max(report.alreadyImported - keptBefore, 0),
      };
      return finish(deps, run.id, run.campaign_id, upload, letters, {
        state: 'done',
        report: { expectedRows, result },
        rowsRead: report.rowsRead,
        imported: result.imported,
      });
    } catch (err) {
      out.end();
      await finished(out).catch(() => undefined);
      await progress;
      const cause = err instanceof ImportAbortedError ? err.cause : err;
      const partial = err instanceof ImportAbortedError ? err.report : undefined;
      if (cause instanceof CsvFormatError) return fail(describeCsvError(cause), partial);
      if (isAppError(cause)) return fail(cause.publicMessage, partial);
      deps.logger.error(
        {
          importRun: run.id,
          err: {
            type: (cause as Error)?.name,
            code: (cause as { code?: string })?.code,
            message: (cause as Error)?.message,
          },
        },
        'customer import failed',
      );
      return fail(
        '取り込みが途中で止まりました（システムエラー）。取り込めたお客様の手紙データはこの取り込みからダウンロードできます。' +
          '同じファイルをもう一度アップロードすると、取り込み済みの行は飛ばして続きから取り込みます。',
        partial,
      );
    }
  });
}

/** Records the end, then deletes the upload (it is personal data); no letters, no letter file. */
async function finish(
  deps: JobDepsLike,
  runId: string,
  campaignId: string,
  upload: string,
  letters: string,
  end: { state: 'done' | 'failed'; report: ImportRunReport; rowsRead: number; imported: number },
): Promise<ImportRunOutcome> {
  const hasLetters = end.imported > 0 && (await exists(letters));
  await deps.db.transaction().execute(async (trx) => {
    await finishImportRun(trx, runId, {
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
        targetId: runId,
        campaignId,
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
  await rm(upload, { force: true });
  if (!hasLetters) await rm(letters, { force: true });
  return { runId, state: end.state, imported: end.imported, rowsRead: end.rowsRead };
}

/** Appending to an earlier attempt's letters: drop the header importCustomers writes first. */
function withoutHeader(out: Writable): Writable {
  let first = true;
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      if (first) {
        first = false;
        if (String(chunk) === LETTER_HEADER) return cb();
      }
      out.write(chunk, cb);
    },
  });
}
