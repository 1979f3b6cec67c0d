import type { Selectable } from 'kysely';

/** One printed letter's verification token (migration 2026_11_30_011): its keyed hash only. */
export interface LetterTokenTable {
  token_hash: Buffer;
  campaign_id: string;
  customer_id: string;
  issued_at: Date;
  /** Set when a reissued letter took this one's place (its login key no longer works). */
  replaced_at: Date | null;
}

/** A wrong token shown by a client (keyed digest of its address), counted by the throttle. */
export interface LetterCheckFailureTable {
  client_digest: Buffer;
  campaign_id: string | null;
  at: Date;
}

export type LetterTokenRow = Selectable<LetterTokenTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    letter_tokens: LetterTokenTable;
    letter_check_failures: LetterCheckFailureTable;
  }
}
