import { createHash, createHmac } from 'node:crypto';
import type { AuditRow } from './audit.table.js';

/**
 * How an entry's hash is made. Since migration 008 every new entry is chained with
 * HMAC-SHA256(AUDIT_HMAC_KEY, previous hash ‖ entry): the key lives outside the database, so someone
 * who can rewrite the table cannot compute a chain that verifies. Entries written before that
 * migration (ids up to the boundary it recorded in `audit_chain_marker`) keep the old unkeyed
 * SHA-256 rule; the first keyed entry links to the last of them, so one chain runs through both.
 */
export const GENESIS: Buffer = Buffer.alloc(32);

export type ChainedFields = Omit<AuditRow, 'id' | 'prev_hash' | 'hash'>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const body = (e: ChainedFields) =>
  JSON.stringify(
    canonical([
      e.at.toISOString(),
      e.staff_id,
      e.action,
      e.target_type,
      e.target_id,
      e.campaign_id,
      e.reason,
      e.details,
    ]),
  );

/** The rule before migration 008: anyone can recompute it, so it only proves order and content. */
export function legacyHash(prev: Buffer, e: ChainedFields): Buffer {
  return createHash('sha256').update(prev).update(body(e)).digest();
}

/** The rule since migration 008. */
export function keyedHash(key: Buffer, prev: Buffer, e: ChainedFields): Buffer {
  return createHmac('sha256', key).update(prev).update(body(e)).digest();
}
