import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import type { CustomerSessionTable, LoginOutcome } from './auth.table.js';

/**
 * SQL of the customer login: attempts (the throttle) and sessions. `customer_sessions` is not in
 * src/platform/database.ts (another team's file): its type is added here until it is.
 */
type AuthDatabase = Database & { customer_sessions: CustomerSessionTable };
const authDb = (db: Db) => db as unknown as Kysely<AuthDatabase>;

/** Counted against the throttle: failures and attempts not judged yet (this one included). */
const COUNTED = sql<boolean>`outcome in ('failure', 'pending')`;

/**
 * Records an attempt before it is judged. Its own statement, committed at once: a concurrent
 * attempt counting after this commit sees it, so of N simultaneous guesses the k-th to be recorded
 * counts at least k (record, then count; counting first lets all N through).
 */
export async function recordPendingAttempt(
  db: Db,
  attempt: { campaign_id: string; code_digest: Buffer; client_digest: Buffer; at: Date },
): Promise<string> {
  const row = await db
    .insertInto('login_attempts')
    .values({ ...attempt, customer_id: null, outcome: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function settleAttempt(
  db: Db,
  id: string,
  outcome: Exclude<LoginOutcome, 'pending'>,
  customerId: string | null = null,
): Promise<void> {
  await db
    .updateTable('login_attempts')
    .set({ outcome, customer_id: customerId })
    .where('id', '=', id)
    .execute();
}

/** Failures (and pending attempts) for this code since its last success, within the lockout window. */
export async function countRecentCodeFailures(db: Db, codeDigest: Buffer, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select(sql<string>`count(*)`.as('failures'))
    .where('code_digest', '=', codeDigest)
    .where(COUNTED)
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
  return Number(row.failures);
}

/** Failures (and pending attempts) of this client (an IPv4 address or an IPv6 /64) since `since`. */
export async function countRecentClientFailures(db: Db, clientDigest: Buffer, since: Date): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select(sql<string>`count(*)`.as('n'))
    .where('client_digest', '=', clientDigest)
    .where(COUNTED)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A session row per login. Expired rows of the same campaign are cleared a few at a time on the way,
 * so the table holds little more than the sessions alive. Only the same campaign's: "expired" is
 * judged by this login's clock, and a process with another clock (a test's) must not end the live
 * sessions of other campaigns.
 */
export async function insertSession(db: Db, row: CustomerSessionTable): Promise<void> {
  await sql`
    with expired as (
      delete from customer_sessions
       where id in (
         select id from customer_sessions
          where expires_at < ${row.created_at} and campaign_id = ${row.campaign_id}
          limit 50)
    )
    insert into customer_sessions (id, customer_id, campaign_id, created_at, expires_at)
    values (${row.id}, ${row.customer_id}, ${row.campaign_id}, ${row.created_at}, ${row.expires_at})`.execute(
    db,
  );
}

/** The one lookup a customer page makes for its session: by primary key. */
export async function isSessionLive(db: Db, id: Buffer, customerId: string, now: Date): Promise<boolean> {
  const row = await authDb(db)
    .selectFrom('customer_sessions')
    .select('customer_id')
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.customer_id === customerId;
}

export async function deleteSession(db: Db, id: Buffer): Promise<void> {
  await authDb(db).deleteFrom('customer_sessions').where('id', '=', id).execute();
}
