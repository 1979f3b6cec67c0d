import type { Generated, Selectable } from 'kysely';

/** An operator's API token: only its SHA-256 is stored (the token is shown once). */
export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  /** Console permissions the token may use (a subset of the creator's). */
  scopes: string[];
  token_hash: Buffer;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** The stored answer to a request sent with an Idempotency-Key (no personal data in it). */
export interface ApiIdempotencyKeysTable {
  /** `customer:<id>` or `token:<id>`: keys of different callers never meet. */
  scope: string;
  key: string;
  request_hash: Buffer;
  status: number;
  /** The answer's JSON text, exactly as first sent. */
  body: string;
  customer_id: string | null;
  /** The customer's campaign (with customer_id, the key to the partitioned customers). */
  campaign_id: string | null;
  api_token_id: string | null;
  created_at: Date;
}

/** A fixed-window request counter shared by every web process. */
export interface ApiRateLimitsTable {
  key: Buffer;
  window_start: Date;
  hits: number;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    api_tokens: ApiTokensTable;
    api_idempotency_keys: ApiIdempotencyKeysTable;
    api_rate_limits: ApiRateLimitsTable;
  }
}
