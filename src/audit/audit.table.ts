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
