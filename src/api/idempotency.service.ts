import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import { IdempotencyKeyMissing, IdempotencyKeyReused } from './api.errors.js';
import {
  claimKey,
  deleteExpiredKeys,
  findAnswer,
  storeAnswer,
  sweepExpiredKeys,
} from './idempotency.repo.js';

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a retried request with the same key
 * and the same body gets the first answer again, without doing anything twice; the same key with
 * another body is refused (409). Keys are per caller and kept for KEY_HOURS. The key is claimed in
 * the action's own transaction, so the action and its stored answer commit together; a request
 * that fails with an error rolls back its claim, and a retry with the key runs again (nothing was
 * written the first time).
 */
export const KEY_HOURS = 24;
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export interface Answer {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  /** `customer:<id>` or `token:<id>`. */
  scope: string;
  customerId: string | null;
  campaignId: string | null;
  apiTokenId: string | null;
  key: unknown;
  /** What makes two requests "the same": the method, the route and the parsed body. */
  fingerprint: unknown;
  now: Date;
}

export function parseIdempotencyKey(raw: unknown): string {
  if (typeof raw !== 'string' || !KEY_SHAPE.test(raw)) throw IdempotencyKeyMissing();
  return raw;
}

/** JSON with object keys sorted: the same body in another key order is the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

const hashOf = (fingerprint: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(canonical(fingerprint)), 'utf8')
    .digest();

/** Runs `action` once per key (see above); `replayed` says the answer was a stored one. */
export async function runIdempotent(
  db: Kysely<Database>,
  request: IdempotentRequest,
  action: (trx: Db) => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  const key = parseIdempotencyKey(request.key);
  const requestHash = hashOf(request.fingerprint);
  const expiredBefore = new Date(request.now.getTime() - KEY_HOURS * 3_600_000);
  return db.transaction().execute(async (trx) => {
    await deleteExpiredKeys(trx, request.scope, expiredBefore);
    const claimed = await claimKey(trx, {
      scope: request.scope,
      key,
      request_hash: requestHash,
      customer_id: request.customerId,
      campaign_id: request.campaignId,
      api_token_id: request.apiTokenId,
      created_at: request.now,
    });
    if (!claimed) {
      const stored = await findAnswer(trx, request.scope, key);
      if (!stored) throw IdempotencyKeyReused(); // deleted meanwhile: a retry claims it afresh
      if (!stored.request_hash.equals(requestHash)) throw IdempotencyKeyReused();
      return { status: stored.status, body: JSON.parse(stored.body) as unknown, replayed: true };
    }
    const answer = await action(trx);
    await storeAnswer(trx, request.scope, key, answer.status, JSON.stringify(answer.body));
    return { ...answer, replayed: false };
  });
}

/** Deletes expired keys of every caller (for a periodic job), at most `limit` per call. */
export const sweepIdempotencyKeys = (db: Db, now: Date, limit = 10_000) =>
  sweepExpiredKeys(db, new Date(now.getTime() - KEY_HOURS * 3_600_000), limit);

/** The hourly job: every expired key, a batch at a time (one statement never holds many locks). */
export async function sweepAllIdempotencyKeys(deps: {
  db: Db;
  now: () => Date;
}): Promise<{ deleted: number }> {
  const batch = 10_000;
  let deleted = 0;
  for (;;) {
    const n = await sweepIdempotencyKeys(deps.db, deps.now(), batch);
    deleted += n;
    if (n < batch) return { deleted };
  }
}
