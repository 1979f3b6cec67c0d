import type { Db } from '../platform/database.js';
import type { ImportReport } from './import.report.js';
import type { ImportRunReport } from './import-runs.finish.js';
import { findLettersDownloads, listImportRuns, type ImportRunListRow } from './import-runs.repo.js';
import { IMPORT_TEXT, RUN_STATE_LABELS } from './imports.messages.js';

/** A campaign's import runs as its import page lists them: counts, state, and the letters' fate. */
export interface ImportRunView {
  id: string;
  state: ImportRunListRow['state'];
  stateLabel: string;
  startedBy: string;
  createdAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  imported: number;
  expectedRows: number;
  result: ImportReport | null;
  error: string | null;
  letters: 'downloaded' | 'pending' | 'available' | 'none';
  downloadedAt: Date | null;
  downloadedBy: string | null;
}

const lettersOf = (r: ImportRunListRow): ImportRunView['letters'] => {
  if (r.letters_downloaded_at) return 'downloaded';
  if (r.state === 'queued' || r.state === 'running') return 'pending';
  return r.letters_file ? 'available' : 'none';
};

export async function importRunsForPage(db: Db, campaignId: string): Promise<ImportRunView[]> {
  const runs = await listImportRuns(db, campaignId);
  const downloads = await findLettersDownloads(
    db,
    runs.map((r) => r.id),
  );
  return runs.map((r) => {
    const report = (r.report ?? { expectedRows: 0 }) as ImportRunReport;
    const d = downloads.get(r.id);
    return {
      id: r.id,
      state: r.state,
      stateLabel: RUN_STATE_LABELS[r.state],
      startedBy: r.started_by_name,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      rowsRead: r.rows_read,
      imported: r.imported,
      expectedRows: report.expectedRows,
      result: report.result ?? null,
      error: report.error ?? null,
      letters: lettersOf(r),
      downloadedAt: r.letters_downloaded_at,
      downloadedBy: d ? IMPORT_TEXT.downloadedBy(d.staffName, d.username) : null,
    };
  });
}
