import type { Generated, Selectable } from 'kysely';

export type PostcardOutcome =
  'accepted' | 'duplicate' | 'late' | 'invalid' | 'pending_verification' | 'mismatch';

export interface PostcardBatchTable {
  id: Generated<string>;
  campaign_id: string;
  label: string;
  physical_count: number;
  second_keying: Generated<boolean>;
  opened_by: string;
  opened_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
}

export interface PostcardEntryTable {
  id: Generated<string>;
  batch_id: string;
  campaign_id: string;
  seq: number;
  keying: Generated<number>;
  registration_code: string;
  customer_id: string | null;
  ticked_options: string[];
  data_choice: string | null;
  postmark_date: string | null;
  outcome: PostcardOutcome;
  reason: string | null;
  redemption_id: string | null;
  entered_by: string;
  entered_at: Date;
  followup_resolved_at: Date | null;
  /** A late or duplicate card: when the customer was told by post (and who marked it). */
  notice_done_at: Generated<Date | null>;
  notice_done_by: Generated<string | null>;
}

export type PostcardBatchRow = Selectable<PostcardBatchTable>;
export type PostcardEntryRow = Selectable<PostcardEntryTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    postcard_batches: PostcardBatchTable;
    postcard_entries: PostcardEntryTable;
  }
}
