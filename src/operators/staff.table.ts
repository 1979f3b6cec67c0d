import type { Generated, Selectable } from 'kysely';

export type Role = 'admin' | 'supervisor' | 'clerk' | 'auditor';

export interface StaffTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  totp_secret: string | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type StaffRow = Selectable<StaffTable>;

export interface ImportRunTable {
  id: Generated<string>;
  campaign_id: string;
  started_by: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  rows_read: Generated<number>;
  imported: Generated<number>;
  report: unknown | null;
  letters_file: string | null;
  letters_downloaded_at: Date | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}
