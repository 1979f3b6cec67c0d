import type pg from 'pg';

export interface ClientTransactionOptions {
  /** Called when COMMIT itself failed: whether the transaction is in the database is then unknown. */
  onCommitFailed?: (err: unknown) => void;
}

/**
 * One transaction on a pg connection the caller holds, for work kysely's db.transaction() cannot
 * do (COPY, a session's temporary table). BEGIN, then `fn`; when `fn` fails the transaction is
 * rolled back and the error rethrown; a failed COMMIT is rethrown too, after `onCommitFailed`.
 */
export async function withClientTransaction<T>(
  client: pg.PoolClient,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: ClientTransactionOptions = {},
): Promise<T> {
  await client.query('begin');
  let result: T;
  try {
    result = await fn(client);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
  try {
    await client.query('commit');
  } catch (err) {
    options.onCommitFailed?.(err);
    throw err;
  }
  return result;
}
