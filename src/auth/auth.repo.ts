import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import type { CustomerSessionTable, LoginOutcome } from './auth.table.js';

/**
 * SQL of the customer login: attempts (the throttle) and sessions. `customer_sessions` is not in
 * src/platform/database.ts (another team's file): its type is added here until it is.
 */
type AuthDatabase = Database & { customer_sessions: CustomerSessionTable };
const authDb = (db: Db) => db as unknown as Kysely<AuthDatabase>;

/** What the login's statement needs: the digests, the key's comparison, the limits and the windows. */
export interface AttemptToJudge {
  campaignId: string;
  codeDigest: Buffer;
  clientDigest: Buffer;
  /** Null when the code is not even well formed: no customer is looked up. */
  registrationCode: string | null;
  /** sha256(presented key's hash ‖ nonce) and the random nonce: compared without a timing signal. */
  presentedDigest: Buffer;
  nonce: Buffer;
  at: Date;
  minuteAgo: Date;
  lockWindowStart: Date;
  clientLimit: number;
  codeLimit: number;
}

/** A session to open when the attempt succeeds, and the one it replaces (the browser's old one). */
export interface SessionOnSuccess {
  row: Omit<CustomerSessionTable, 'customer_id'>;
  replaces: Buffer | null;
}

export type Verdict = { outcome: Exclude<LoginOutcome, 'pending'>; customerId: string | null };

/**
 * Judges and records a login attempt in one statement (judge_login_attempt, migration
 * 2026_12_01_021, planned once per server connection): compares the key, locks and updates the
 * client's and the code's throttle rows (racing guesses wait for each other's rows, so of N
 * simultaneous guesses the k-th counts k), records the attempt with its verdict and, on success,
 * opens the session (ending the browser's previous one and clearing a few expired rows of the
 * campaign). The key is compared as sha256(stored ‖ nonce) = sha256(presented ‖ nonce) with a
 * fresh random nonce, so the comparison's timing says nothing about the stored hash.
 */
export async function judgeAttempt(
  db: Db,
  a: AttemptToJudge,
  session: SessionOnSuccess | null,
): Promise<Verdict> {
  const s = session?.row;
  const r = await sql<{
    outcome: Exclude<LoginOutcome, 'pending'>;
    customer_id: string | null;
  }>`select outcome, customer_id from judge_login_attempt(
       ${a.campaignId}::bigint, ${a.codeDigest}::bytea, ${a.clientDigest}::bytea, ${a.registrationCode}::text,
       ${a.presentedDigest}::bytea, ${a.nonce}::bytea, ${a.at}::timestamptz, ${a.minuteAgo}::timestamptz,
       ${a.lockWindowStart}::timestamptz, ${a.clientLimit}::int, ${a.codeLimit}::int,
       ${s?.id ?? null}::bytea, ${s?.created_at ?? null}::timestamptz, ${s?.expires_at ?? null}::timestamptz,
       ${session?.replaces ?? null}::bytea)`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error('a login attempt was not recorded');
  return { outcome: row.outcome, customerId: row.customer_id };
}

/**
 * A session row (the JSON API's login; the web's login opens its row in judgeAttempt). Expired rows
 * of the same campaign are cleared a few at a time on the way, so the table holds little more than
 * the sessions alive. Only the same campaign's: "expired" is judged by this login's clock, and a
 * process with another clock (a test's) must not end the live sessions of other campaigns.
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

/**
 * Deletes throttle rows last touched before `before`, a batch at a time; returns how many went.
 * Callers pass a time before every window the login statement reads, so a deleted row counted
 * nothing any more: a fresh row in its place judges the same.
 */
export async function deleteStaleThrottleRows(db: Db, before: Date, batch = 10_000): Promise<number> {
  let removed = 0;
  for (;;) {
    const r = await sql`
      delete from login_throttle
       where key in (select key from login_throttle where touched_at < ${before}::timestamptz limit ${batch})`.execute(
      db,
    );
    const n = Number(r.numAffectedRows ?? 0);
    removed += n;
    if (n < batch) return removed;
  }
}
