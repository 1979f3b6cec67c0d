import type { Generated, Kysely } from 'kysely';
import type { Database, Db } from '../platform/database.js';

/**
 * The contact centre's own tables (migration 2026_11_22_007). src/platform/database.ts belongs to
 * another team: until it lists these, the contact repos widen the handle with `contactDb`.
 */

export interface ContactNoteTable {
  id: Generated<string>;
  campaign_id: string;
  customer_id: string;
  staff_id: string;
  at: Date;
  /** Typed by staff, screened for personal data; deleted with the campaign's purge. */
  body: string;
}

export type RequestKind = 'reissue' | 'erasure';
export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface ContactRequestTable {
  id: Generated<string>;
  kind: RequestKind;
  campaign_id: string;
  customer_id: string;
  status: Generated<RequestStatus>;
  requested_by: string;
  requested_at: Date;
  request_note_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note_id: string | null;
  outcome: Record<string, unknown> | null;
  print_file: string | null;
  downloaded_by: string | null;
  downloaded_at: Date | null;
}

export interface ContactLookupTable {
  id: Generated<string>;
  staff_id: string;
  at: Date;
}

export type ContactDatabase = Database & {
  contact_notes: ContactNoteTable;
  contact_requests: ContactRequestTable;
  contact_lookups: ContactLookupTable;
};

export const contactDb = (db: Db) => db as unknown as Kysely<ContactDatabase>;
