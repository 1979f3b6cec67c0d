import type { Db } from './database.js';

/** Import runs that still need their uploaded customer CSV (DATA_DIR/imports/run-<id>.csv). */
export async function importRunsInProgress(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectFrom('import_runs')
    .select('id')
    .where('state', 'in', ['queued', 'running'])
    .execute();
  return new Set(rows.map((r) => r.id));
}
