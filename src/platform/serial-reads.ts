import { sql, type Kysely } from 'kysely';
import type { Database, Db } from './database.js';

/**
 * Runs `fn` in a transaction of its own whose statements get no parallel workers (SET LOCAL: the
 * setting ends with the transaction, so the pooled connection, or PgBouncer's, is left as it was).
 * For background reads that already run side by side on their own connections: parallel workers on
 * top take the cores the customers' pages need, and on a small machine slow the reads themselves.
 */
export async function withoutParallelWorkers<T>(
  db: Kysely<Database>,
  fn: (trx: Db) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return fn(trx);
  });
}
