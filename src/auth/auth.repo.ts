import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { LoginOutcome } from './auth.table.js';

export async function recordLoginAttempt(
  db: Db,
  attempt: {
    campaign_id: string;
    customer_id: string | null;
    code_digest: Buffer;
    client_digest: Buffer;
    outcome: LoginOutcome;
    at: Date;
  },
): Promise<void> {
  await db.insertInto('login_attempts').values(attempt).execute();
}

/** Failures for this code since its last success, within the lockout window. */
export async function countRecentCodeFailures(
  db: Db,
  codeDigest: Buffer,
  since: Date,
): Promise<{ failures: number; lastFailureAt: Date | null }> {
  const row = await db
    .selectFrom('login_attempts')
    .select([sql<string>`count(*)`.as('failures'), sql<Date | null>`max(at)`.as('last_failure_at')])
    .where('code_digest', '=', codeDigest)
    .where('outcome', '=', 'failure')
    .where('at', '>', since)
    .where(({ eb, selectFrom }) =>
      eb(
        'at',
        '>',
        selectFrom('login_attempts as s')
          .select(sql<Date>`coalesce(max(s.at), '-infinity'::timestamptz)`.as('m'))
          .where('s.code_digest', '=', codeDigest)
          .where('s.outcome', '=', 'success'),
      ),
    )
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), lastFailureAt: row.last_failure_at };
}

export async function countRecentClientFailures(db: Db, clientDigest: Buffer, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select(sql<string>`count(*)`.as('n'))
    .where('client_digest', '=', clientDigest)
    .where('outcome', '=', 'failure')
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
