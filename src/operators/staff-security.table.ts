import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database, Db } from '../platform/database.js';

/** A console session (migration 006): `id` is the HMAC of the cookie's token, never the token. */
export type StaffSessionTable = {
  id: Buffer;
  staff_id: string;
  /** false: password checked, second factor pending. */
  mfa: boolean;
  totp_failures: Generated<number>;
  created_at: Date;
  last_seen_at: Date;
};

export type StaffEnrolmentLinkTable = {
  token_hash: Buffer;
  staff_id: string;
  /** The secret offered for enrolment, encrypted like staff.totp_secret. */
  totp_secret: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
};

export type StaffRecoveryCodeTable = {
  id: Generated<string>;
  staff_id: string;
  code_hash: string;
  created_at: Date;
};

export type StaffLoginClientTable = {
  client: string;
  window_start: Date;
  failures: number;
};

export type StaffSecurityTables = {
  staff_sessions: StaffSessionTable;
  staff_enrolment_links: StaffEnrolmentLinkTable;
  staff_recovery_codes: StaffRecoveryCodeTable;
  staff_login_clients: StaffLoginClientTable;
};

export type StaffSessionRow = Selectable<StaffSessionTable>;
export type StaffEnrolmentLinkRow = Selectable<StaffEnrolmentLinkTable>;

export type SecurityDb = Kysely<Database & StaffSecurityTables>;

/**
 * The console's security tables, typed here: src/platform/database.ts (owned by the platform) does
 * not list them yet. Works for a transaction too (its `withTables` keeps it a transaction).
 */
export const securityDb = (db: Db): SecurityDb => db.withTables<StaffSecurityTables>() as SecurityDb;
