import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import { entriesAfter, insertEntry, lastHash, lockChain } from './audit.repo.js';
import type { AuditRow } from './audit.table.js';

/**
 * What an audit entry says: who, what, when, why. Never personal data: targets are ids (a
 * registration code is a public identifier), details are counts, states and choices.
 */
export interface AuditEvent {
  staffId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  campaignId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = Buffer.alloc(32);

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

export function entryHash(prev: Buffer, e: Omit<AuditRow, 'id' | 'prev_hash' | 'hash'>): Buffer {
  const body = JSON.stringify(
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
  return createHash('sha256').update(prev).update(body).digest();
}

/** Appends one entry inside the caller's transaction, so the entry commits with the change it records. */
export async function recordAudit(trx: Db, event: AuditEvent, at: Date): Promise<void> {
  await lockChain(trx);
  const prev = (await lastHash(trx)) ?? GENESIS;
  const entry = {
    at: new Date(at.getTime()),
    staff_id: event.staffId,
    action: event.action,
    target_type: event.targetType ?? null,
    target_id: event.targetId ?? null,
    campaign_id: event.campaignId ?? null,
    reason: event.reason ?? null,
    details: event.details ?? {},
  };
  await insertEntry(trx, { ...entry, prev_hash: prev, hash: entryHash(prev, entry) });
}

/** Appends in its own transaction (for events that change nothing else, such as a view). */
export async function audit(db: Kysely<Database>, event: AuditEvent, at: Date): Promise<void> {
  await db.transaction().execute((trx) => recordAudit(trx, event, at));
}

export interface ChainVerification {
  entries: number;
  valid: boolean;
  /** The first entry whose hash or link does not match. */
  brokenAt?: string;
}

/** Recomputes every hash from the start: any edited, removed or reordered entry breaks the chain. */
export async function verifyChain(db: Db): Promise<ChainVerification> {
  let prev: Buffer = GENESIS;
  let after = '0';
  let count = 0;
  for (;;) {
    const page = await entriesAfter(db, after, 5000);
    if (page.length === 0) return { entries: count, valid: true };
    for (const e of page) {
      count++;
      if (!e.prev_hash.equals(prev) || !entryHash(prev, e).equals(e.hash)) {
        return { entries: count, valid: false, brokenAt: e.id };
      }
      prev = e.hash;
      after = e.id;
    }
  }
}
