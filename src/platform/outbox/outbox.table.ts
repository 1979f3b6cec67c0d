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
