import type { Generated, Selectable } from 'kysely';

export interface AuditLogTable {
  id: Generated<string>;
  at: Date;
  staff_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  campaign_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  prev_hash: Buffer;
  hash: Buffer;
}

export type AuditRow = Selectable<AuditLogTable>;

/** One row (id 1): entries up to `legacy_up_to_id` were chained before the HMAC (migration 008). */
export interface AuditChainMarkerTable {
  id: number;
  legacy_up_to_id: string;
  created_at: Generated<Date>;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_chain_marker: AuditChainMarkerTable;
  }
}
