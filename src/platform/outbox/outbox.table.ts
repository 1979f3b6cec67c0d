import type { Generated } from 'kysely';

export interface OutboxTable {
  id: Generated<string>;
  queue: string;
  job_name: string;
  job_id: string;
  payload: Record<string, string>;
  created_at: Generated<Date>;
  relayed_at: Date | null;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../database.js' {
  interface Database {
    outbox: OutboxTable;
  }
}
