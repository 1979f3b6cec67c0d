import type { Generated, Selectable } from 'kysely';

export type Role = 'admin' | 'supervisor' | 'clerk' | 'auditor';

export interface StaffTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  /** argon2id; null until the owner sets one through an enrolment link (and after a reset). */
  password_hash: string | null;
  role: Role;
  /** AES-256-GCM (staff-crypto.ts); a row from before encryption holds base32 until next read. */
  totp_secret: string | null;
  /** The last TOTP time step accepted (bigint, read as a string): never accepted again. */
  totp_last_step: string | null;
  password_changed_at: Date | null;
  /** Failed passwords and second factors since the last full sign-in (password and TOTP). */
  failed_logins: Generated<number>;
  locked_until: Date | null;
  disabled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type StaffRow = Selectable<StaffTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    staff: StaffTable;
  }
}
