import type { Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';
import { GENESIS, keyedHash, legacyHash } from './audit.chain.js';
import { appendHead, lastHead, readHeads } from './audit.heads.js';
import { chainHead, entriesAfter, insertEntry, lastHash, legacyBoundary, lockChain } from './audit.repo.js';
import { auditSettings, type AuditSettings } from './audit.settings.js';

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

/** Appends one entry inside the caller's transaction, so the entry commits with the change it records. */
export async function recordAudit(trx: Db, event: AuditEvent, at: Date): Promise<void> {
  const { key } = auditSettings();
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
  await insertEntry(trx, { ...entry, prev_hash: prev, hash: keyedHash(key, prev, entry) });
}

/** Appends in its own transaction (for events that change nothing else, such as a view). */
export async function audit(db: Kysely<Database>, event: AuditEvent, at: Date): Promise<void> {
  await db.transaction().execute((trx) => recordAudit(trx, event, at));
}

export type ChainProblem =
  /** An entry's prev_hash is not its predecessor's hash: removed, inserted or reordered. */
  | 'link'
  /** An entry's hash is not what the key gives: edited, or recomputed without the key. */
  | 'hash'
  /** An exported head is no longer in the table: the newest entries were deleted. */
  | 'head_missing'
  /** An exported head's entry has another hash now: rewritten. */
  | 'head_mismatch'
  /** The boundary of the unkeyed entries moved since a head was exported. */
  | 'boundary';

export interface ChainVerification {
  entries: number;
  valid: boolean;
  /** The first entry whose hash, link or exported head does not match. */
  brokenAt?: string;
  problem?: ChainProblem;
  /** How many exported heads (AUDIT_HEAD_FILE) were compared. */
  headsChecked: number;
}

/**
 * Recomputes every hash from the start (unkeyed up to migration 008's boundary, HMAC after it) and
 * compares every head exported to the file outside the database: an edited, removed, reordered or
 * recomputed entry breaks the chain, and a deleted tail misses an exported head.
 */
export async function verifyChain(
  db: Db,
  settings: AuditSettings = auditSettings(),
): Promise<ChainVerification> {
  const boundary = BigInt((await legacyBoundary(db)) ?? '0');
  const heads = await readHeads(settings.headFile);
  const expected = new Map<string, string[]>();
  for (const h of heads) expected.set(h.id, [...(expected.get(h.id) ?? []), h.hash]);
  const headsChecked = heads.length;
  const broken = (entries: number, brokenAt: string, problem: ChainProblem): ChainVerification => ({
    entries,
    valid: false,
    brokenAt,
    problem,
    headsChecked,
  });

  const moved = heads.find((h) => h.legacyUpTo !== boundary.toString());
  let prev: Buffer = GENESIS;
  let after = '0';
  let count = 0;
  for (;;) {
    const page = await entriesAfter(db, after, 5000);
    if (page.length === 0) break;
    for (const e of page) {
      count++;
      if (!e.prev_hash.equals(prev)) return broken(count, e.id, 'link');
      const hash = BigInt(e.id) <= boundary ? legacyHash(prev, e) : keyedHash(settings.key, prev, e);
      if (!hash.equals(e.hash)) return broken(count, e.id, 'hash');
      const exported = expected.get(e.id);
      if (exported) {
        if (exported.some((h) => h !== e.hash.toString('hex'))) return broken(count, e.id, 'head_mismatch');
        expected.delete(e.id);
      }
      prev = e.hash;
      after = e.id;
    }
  }
  if (moved) return broken(count, moved.id, 'boundary');
  const missing = [...expected.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
  if (missing) return broken(count, missing, 'head_missing');
  return { entries: count, valid: true, headsChecked };
}

/**
 * Appends the chain's head to the head file (a job every few minutes, and after each
 * verification). Nothing is written when the log is empty or the head has not moved.
 */
export async function exportAuditHead(
  db: Db,
  settings: AuditSettings = auditSettings(),
  at: Date = new Date(),
): Promise<{ exported: boolean; id: string | null }> {
  const head = await chainHead(db);
  if (!head) return { exported: false, id: null };
  const legacyUpTo = (await legacyBoundary(db)) ?? '0';
  const hash = head.hash.toString('hex');
  const last = await lastHead(settings.headFile);
  if (last && last.id === head.id && last.hash === hash && last.legacyUpTo === legacyUpTo)
    return { exported: false, id: head.id };
  await appendHead(settings.headFile, { at: at.toISOString(), id: head.id, hash, legacyUpTo });
  return { exported: true, id: head.id };
}
