import { sql } from 'kysely';
import type { Db } from './database.js';

/** Import runs that still need their uploaded customer CSV (campaigns/<id>/imports/run-<id>.csv). */
export async function importRunsInProgress(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('import_runs')
    .select('id')
    .where('state', 'in', ['queued', 'running'])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Campaigns whose folder in the object store may hold an upload: every one not purged. */
export async function campaignsNotPurged(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('campaigns').select('id').where('state', '!=', 'purged').execute();
  return rows.map((r) => r.id);
}

/** Import runs that exist, of the given ids. */
export async function existingImportRuns(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('import_runs').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * An upload is stored inside the transaction that creates its run, so for a moment it has no run
 * the sweep can see. The storing transactions of a campaign share its lock; the sweep takes it
 * alone, without waiting, before it treats an upload of the campaign without a run as an orphan.
 */
const lockOfUploads = (campaignId: string) => sql`hashtext('owabi:uploads'), ${campaignId}::int`;

export async function holdUploadsOpen(trx: Db, campaignId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${lockOfUploads(campaignId)})`.execute(trx);
}

/** True when no upload of the campaign is being stored; the lock holds until the transaction ends. */
export async function tryHoldUploadsClosed(trx: Db, campaignId: string): Promise<boolean> {
  const { rows } = await sql<{ held: boolean }>`
    select pg_try_advisory_xact_lock(${lockOfUploads(campaignId)}) as held`.execute(trx);
  return rows[0]?.held === true;
}
