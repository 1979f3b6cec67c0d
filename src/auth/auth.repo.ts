import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import { preparedStatement } from '../platform/prepared.js';
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

/** A throttle row's failures since `since` (the row is `t`, the one locked by the upsert). */
const recent = (since: Date) =>
  sql`array(select f from unnest(t.failures) f where f > ${since}::timestamptz)`;

/**
 * The client's row of login_throttle, locked (an upsert: a racing attempt waits, then sees this
 * one's failure): refused when its last minute already holds `clientLimit` failures. The attempt
 * is added as a failure when `counts` (a wrong key, on a code not locked as far as this statement's
 * snapshot shows); a refused attempt is not added.
 */
const clientRow = (a: AttemptToJudge) => sql`
  insert into login_throttle as t (key, campaign_id, failures, refused, touched_at)
  select ${a.clientDigest}::bytea, null,
         case when attempt.counts and 0 < ${a.clientLimit}::int then array[${a.at}::timestamptz]
              else '{}'::timestamptz[] end,
         0 >= ${a.clientLimit}::int, ${a.at}::timestamptz
    from attempt
  on conflict (key) do update set
    failures = case when cardinality(${recent(a.minuteAgo)}) >= ${a.clientLimit}::int
                    then ${recent(a.minuteAgo)} else ${recent(a.minuteAgo)} || excluded.failures end,
    refused = cardinality(${recent(a.minuteAgo)}) >= ${a.clientLimit}::int,
    touched_at = excluded.touched_at
  returning refused`;

/**
 * The code's row, locked after the client's (always in this order: no deadlock): refused (locked)
 * when its lock window holds `codeLimit` failures since its last success. Not changed by a refused
 * (throttled) attempt; emptied by a success; otherwise the failure is added.
 */
const codeRow = (a: AttemptToJudge) => sql`
  insert into login_throttle as t (key, campaign_id, failures, refused, touched_at)
  select ${a.codeDigest}::bytea, ${a.campaignId}::bigint,
         case when c.refused or attempt.key_ok or 0 >= ${a.codeLimit}::int then '{}'::timestamptz[]
              else array[${a.at}::timestamptz] end,
         c.refused or 0 >= ${a.codeLimit}::int, ${a.at}::timestamptz
    from client c, attempt
  on conflict (key) do update set
    failures = case when cardinality(${recent(a.lockWindowStart)}) >= ${a.codeLimit}::int
                      or excluded.refused then ${recent(a.lockWindowStart)}
                    when cardinality(excluded.failures) = 0 then '{}'::timestamptz[]
                    else ${recent(a.lockWindowStart)} || excluded.failures end,
    refused = excluded.refused or cardinality(${recent(a.lockWindowStart)}) >= ${a.codeLimit}::int,
    touched_at = excluded.touched_at
  returning refused`;

/**
 * Judges and records a login attempt in one statement: compares the key, locks and updates the
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
  }>`${preparedStatement}
    with customer as (
      select id, login_key_hash from customers
       where registration_code = ${a.registrationCode}::text and campaign_id = ${a.campaignId}
    ), attempt as (
      select k.ok as key_ok,
             not k.ok and (select count(*) from login_throttle c, unnest(c.failures) f
                            where c.key = ${a.codeDigest} and f > ${a.lockWindowStart}) < ${a.codeLimit}::int
               as counts
        from (select exists (select 1 from customer
                              where sha256(login_key_hash || ${a.nonce}::bytea) = ${a.presentedDigest}::bytea)
                as ok) k
    ), client as (${clientRow(a)}
    ), code as (${codeRow(a)}
    ), verdict as (
      select case when client.refused then 'throttled'
                  when code.refused then 'locked'
                  when attempt.key_ok then 'success'
                  else 'failure' end as outcome,
             (select id from customer) as customer_id
        from client, code, attempt
    ), settled as (
      insert into login_attempts (campaign_id, customer_id, code_digest, client_digest, outcome, at)
      select ${a.campaignId}::bigint, case when v.outcome in ('success', 'failure') then v.customer_id end,
             ${a.codeDigest}::bytea, ${a.clientDigest}::bytea, v.outcome, ${a.at}::timestamptz
        from verdict v
      returning outcome, customer_id
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
