import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { AuditRow } from './audit.table.js';

const AUDIT_CHAIN_LOCK = 0x4f574155; // "OWAU": one appender at a time keeps the chain linear

export async function lockChain(trx: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
}

export async function lastHash(trx: Db): Promise<Buffer | undefined> {
  const row = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

/** The newest entry: the chain's head. */
export async function chainHead(db: Db): Promise<{ id: string; hash: Buffer } | undefined> {
  return db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The last id chained with the unkeyed rule (migration 008's marker); undefined without it. */
export async function legacyBoundary(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('audit_chain_marker')
    .select('legacy_up_to_id')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.legacy_up_to_id;
}

export async function insertEntry(trx: Db, row: Omit<AuditRow, 'id'>): Promise<string> {
  const r = await trx
    .insertInto('audit_log')
    .values({ ...row, details: JSON.stringify(row.details) as never })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface AuditFilter {
  staffId?: string;
  action?: string;
  campaignId?: string;
  from?: Date;
  to?: Date;
}

export async function listEntries(
  db: Db,
  f: AuditFilter,
  limit: number,
  beforeId?: string,
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (f.staffId) q = q.where('staff_id', '=', f.staffId);
  if (f.action) q = q.where('action', 'like', `${f.action}%`);
  if (f.campaignId) q = q.where('campaign_id', '=', f.campaignId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.execute();
}

/** The whole chain in order, a page at a time (for verification and export). */
export async function entriesAfter(db: Db, afterId: string, limit: number): Promise<AuditRow[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
