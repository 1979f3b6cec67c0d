import type { Generated } from 'kysely';

/** `pending`: recorded before it is judged (record, then count), then settled to one of the others. */
export type LoginOutcome = 'pending' | 'success' | 'failure' | 'locked' | 'throttled';

export interface LoginAttemptTable {
  id: Generated<string>;
  campaign_id: string;
  customer_id: string | null;
  code_digest: Buffer;
  client_digest: Buffer;
  outcome: LoginOutcome;
  at: Generated<Date>;
}

/** A customer's login: the digest of the random session id in the cookie's token. */
export interface CustomerSessionTable {
  id: Buffer;
  customer_id: string;
  campaign_id: string;
  created_at: Date;
  expires_at: Date;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    login_attempts: LoginAttemptTable;
  }
}
