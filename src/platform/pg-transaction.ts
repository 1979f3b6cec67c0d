import type pg from 'pg';

export interface ClientTransactionOptions {
  /** Called when COMMIT itself failed: whether the transaction is in the database is then unknown. */
  onCommitFailed?: (err: unknown) => void;
}

/**
 * One transaction on a pg connection of its own from the pool, for work kysely's db.transaction()
 * cannot do (COPY). The connection goes back to the pool after it, so `fn` may rely on nothing of
 * the session but what it did in this transaction (through PgBouncer in transaction pooling mode
 * the next transaction may run on another server connection anyway). BEGIN, then `fn`; when `fn`
 * fails the transaction is rolled back and the error rethrown; a failed COMMIT is rethrown too,
 * after `onCommitFailed`. A connection whose BEGIN, ROLLBACK or COMMIT failed is discarded.
 */
export async function withPoolTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: ClientTransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const control = (command: 'begin' | 'rollback' | 'commit') =>
    client.query(command).catch((err: Error) => {
      broken = err;
      throw err;
    });
  try {
    await control('begin');
    let result: T;
    try {
      result = await fn(client);
    } catch (err) {
      await control('rollback').catch(() => undefined);
      throw err;
    }
    try {
      await control('commit');
    } catch (err) {
      options.onCommitFailed?.(err);
      throw err;
    }
    return result;
  } finally {
    client.release(broken);
  }
}
