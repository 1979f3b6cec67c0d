import type { Db } from '../platform/database.js';
import type { ImportRunRow } from './import-run.table.js';

/** SQL of the customer import runs (the console's upload, the job, the letter download). */

export type { ImportRunRow } from './import-run.table.js';
export type ImportRunState = ImportRunRow['state'];

export async function insertImportRun(
  db: Db,
  run: { campaignId: string; startedBy: string; report: unknown },
): Promise<string> {
  const row = await db
    .insertInto('import_runs')
    .values({
      campaign_id: run.campaignId,
      started_by: run.startedBy,
      state: 'queued',
      report: JSON.stringify(run.report),
      letters_file: null,
      letters_downloaded_at: null,
      finished_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findImportRun(db: Db, id: string): Promise<ImportRunRow | undefined> {
  return db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ImportRunListRow extends ImportRunRow {
  started_by_name: string;
}

export async function listImportRuns(db: Db, campaignId: string, limit = 50): Promise<ImportRunListRow[]> {
  return db
    .selectFrom('import_runs as r')
    .innerJoin('staff as s', 's.id', 'r.started_by')
    .selectAll('r')
    .select('s.display_name as started_by_name')
    .where('r.campaign_id', '=', campaignId)
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

export async function markRunning(db: Db, id: string, lettersFile: string): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ state: 'running', letters_file: lettersFile, rows_read: 0 })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'running'])
    .execute();
}

export async function updateProgress(db: Db, id: string, rowsRead: number, imported: number): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ rows_read: rowsRead, imported })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

export async function finishImportRun(
  db: Db,
  id: string,
  end: {
    state: 'done' | 'failed';
    rowsRead: number;
    imported: number;
    report: unknown;
    lettersFile: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      state: end.state,
      rows_read: end.rowsRead,
      imported: end.imported,
      report: JSON.stringify(end.report),
      letters_file: end.lettersFile,
      finished_at: end.at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Claims the one download of a run's letters: only one request can set the time. Returns the file,
 * or undefined when the run has no letters or they were already taken.
 */
export async function claimLetters(
  db: Db,
  id: string,
  campaignId: string,
  at: Date,
): Promise<{ letters_file: string; imported: number } | undefined> {
  const row = await db
    .updateTable('import_runs')
    .set({ letters_downloaded_at: at })
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .where('state', 'in', ['done', 'failed'])
    .where('letters_file', 'is not', null)
    .where('letters_downloaded_at', 'is', null)
    .returning(['letters_file', 'imported'])
    .executeTakeFirst();
  return row?.letters_file ? { letters_file: row.letters_file, imported: row.imported } : undefined;
}

/** Gives the download back after an interrupted transfer (the file was not deleted). */
export async function releaseLetters(db: Db, id: string, claimedAt: Date): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ letters_downloaded_at: null })
    .where('id', '=', id)
    .where('letters_downloaded_at', '=', claimedAt)
    .execute();
}

export interface LettersDownload {
  runId: string;
  at: Date;
  staffName: string | null;
  username: string | null;
}

/** Who took each run's letters, from the audit log (the one record of it). */
export async function findLettersDownloads(db: Db, runIds: string[]): Promise<Map<string, LettersDownload>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('staff as s', 's.id', 'a.staff_id')
    .select(['a.target_id', 'a.at', 's.display_name', 's.username'])
    .where('a.action', '=', 'campaign.letters_export')
    .where('a.target_type', '=', 'import_run')
    .where('a.target_id', 'in', runIds)
    .orderBy('a.id')
    .execute();
  const out = new Map<string, LettersDownload>();
  for (const r of rows) {
    out.set(r.target_id!, { runId: r.target_id!, at: r.at, staffName: r.display_name, username: r.username });
  }
  return out;
}

/** Of these registration codes, those that are customers of the campaign. */
export async function existingRegistrationCodes(
  db: Db,
  campaignId: string,
  codes: string[],
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('customers')
    .select('registration_code')
    .where('campaign_id', '=', campaignId)
    .where('registration_code', 'in', codes)
    .execute();
  return new Set(rows.map((r) => r.registration_code));
}
