import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of the stored answers to requests sent with an Idempotency-Key. */

export interface StoredAnswer {
  request_hash: Buffer;
  status: number;
  body: string;
  created_at: Date;
}

/**
 * Claims the key in the caller's transaction: true when this request is the first with it. A
 * concurrent request with the same key waits here (primary key) until the first one's transaction
 * ends, then finds its row (committed) or claims the key itself (rolled back).
 */
export async function claimKey(
  trx: Db,
  row: {
    scope: string;
    key: string;
    request_hash: Buffer;
    customer_id: string | null;
    campaign_id: string | null;
    api_token_id: string | null;
    created_at: Date;
  },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('api_idempotency_keys')
    .values({ ...row, status: 0, body: '' })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findAnswer(trx: Db, scope: string, key: string): Promise<StoredAnswer | undefined> {
  return trx
    .selectFrom('api_idempotency_keys')
    .select(['request_hash', 'status', 'body', 'created_at'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function storeAnswer(
  trx: Db,
  scope: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await trx
    .updateTable('api_idempotency_keys')
    .set({ status, body })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
}

/** Deletes this caller's keys older than `before` (the expired ones, on each new claim: set-based, indexed). */
export async function deleteExpiredKeys(trx: Db, scope: string, before: Date): Promise<void> {
  await trx
    .deleteFrom('api_idempotency_keys')
    .where('scope', '=', scope)
    .where('created_at', '<', before)
    .execute();
}

/** Every caller's expired keys, at most `limit` of them (a sweep). */
export async function sweepExpiredKeys(db: Db, before: Date, limit: number): Promise<number> {
  const r = await sql`
    delete from api_idempotency_keys
     where ctid = any(array(select ctid from api_idempotency_keys where created_at < ${before} limit ${limit}))`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}
