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

/** What the judging statement needs: the attempt recorded before, the digests, the limits, the key. */
export interface AttemptToJudge {
  attemptId: string;
  campaignId: string;
  codeDigest: Buffer;
  clientDigest: Buffer;
  /** Null when the code is not even well formed: no customer is looked up. */
  registrationCode: string | null;
  /** sha256(presented key's hash ‖ nonce) and the random nonce: compared without a timing signal. */
  presentedDigest: Buffer;
  nonce: Buffer;
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
 * Judges an attempt recorded by recordPendingAttempt in one statement: counts the client's and the
 * code's recent failures (this attempt included, and every concurrent one committed before it),
 * reads the customer, compares the key, settles the attempt and, on success, opens the session
 * (ending the browser's previous one and clearing a few expired rows of the campaign). The key is
 * compared as sha256(stored ‖ nonce) = sha256(presented ‖ nonce) with a fresh random nonce, so the
 * comparison's timing says nothing about the stored hash.
 */
export async function judgeAttempt(
  db: Db,
  a: AttemptToJudge,
  session: SessionOnSuccess | null,
): Promise<Verdict> {
  const s = session?.row;
  const r = await sql<{ outcome: Exclude<LoginOutcome, 'pending'>; customer_id: string | null }>`
    with client_failures as (
      select count(*) as n from login_attempts
       where client_digest = ${a.clientDigest} and ${COUNTED} and at > ${a.minuteAgo}
    ), code_failures as (
      select count(*) as n from login_attempts
       where code_digest = ${a.codeDigest} and ${COUNTED} and at > ${a.lockWindowStart}
         and at > (select coalesce(max(s.at), '-infinity'::timestamptz) from login_attempts s
                    where s.code_digest = ${a.codeDigest} and s.outcome = 'success')
    ), customer as (
      select id, login_key_hash from customers
       where registration_code = ${a.registrationCode}::text and campaign_id = ${a.campaignId}
    ), verdict as (
      select case
               when (select n from client_failures) > ${a.clientLimit} then 'throttled'
               when (select n from code_failures) > ${a.codeLimit} then 'locked'
               when exists (select 1 from customer
                             where sha256(login_key_hash || ${a.nonce}::bytea) = ${a.presentedDigest}::bytea)
                 then 'success'
               else 'failure'
             end as outcome,
             (select id from customer) as customer_id
    ), settled as (
      update login_attempts t
         set outcome = v.outcome,
             customer_id = case when v.outcome in ('success', 'failure') then v.customer_id end
        from verdict v
       where t.id = ${a.attemptId}
      returning t.outcome, t.customer_id
    ), expired as (
      delete from customer_sessions
       where id in (select id from customer_sessions
                     where expires_at < ${s?.created_at ?? null}::timestamptz and campaign_id = ${a.campaignId}
                     limit 50)
         and exists (select 1 from settled where outcome = 'success')
    ), replaced as (
      delete from customer_sessions
       where id = ${session?.replaces ?? null}::bytea and exists (select 1 from settled where outcome = 'success')
    ), opened as (
      insert into customer_sessions (id, customer_id, campaign_id, created_at, expires_at)
      select ${s?.id ?? null}::bytea, customer_id, ${a.campaignId}::bigint, ${s?.created_at ?? null}::timestamptz,
             ${s?.expires_at ?? null}::timestamptz
        from settled where outcome = 'success' and ${s?.id ?? null}::bytea is not null
    )
    select outcome, customer_id from settled`.execute(db);
  const row = r.rows[0];
  if (!row) throw new Error(`login attempt ${a.attemptId} vanished before it was judged`);
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
