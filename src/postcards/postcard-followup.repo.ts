import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** The follow-up queue: invalid and mismatched cards nobody has resolved yet. SQL only. */

export interface FollowupRow {
  id: string;
  batch_id: string;
  batch_label: string;
  seq: number;
  keying: number;
  registration_code: string;
  ticked_options: string[];
  data_choice: string | null;
  postmark_date: string | null;
  outcome: 'invalid' | 'mismatch';
  reason: string | null;
  entered_at: Date;
  /** For a mismatch: the first keying's reading. */
  first_code: string | null;
  first_ticked_options: string[] | null;
  first_data_choice: string | null;
  first_postmark_date: string | null;
}

/**
 * One row per card: in a batch keyed twice the second keying's row stands for the card (the first
 * keying's row carries the same outcome).
 */
const pending = (db: Db, campaignId: string) =>
  db
    .selectFrom('postcard_entries as e')
    .innerJoin('postcard_batches as b', 'b.id', 'e.batch_id')
    .where('e.campaign_id', '=', campaignId)
    .where('e.followup_resolved_at', 'is', null)
    .where('e.outcome', 'in', ['invalid', 'mismatch'])
    .where((eb) => eb.or([eb('e.keying', '=', 2), eb('b.second_keying', '=', false)]));

export async function listFollowups(db: Db, campaignId: string, limit: number): Promise<FollowupRow[]> {
  return pending(db, campaignId)
    .leftJoin('postcard_entries as k1', (j) =>
      j
        .onRef('k1.batch_id', '=', 'e.batch_id')
        .onRef('k1.seq', '=', 'e.seq')
        .on('k1.keying', '=', 1)
        .on('e.keying', '=', 2),
    )
    .select([
      'e.id',
      'e.batch_id',
      'b.label as batch_label',
      'e.seq',
      'e.keying',
      'e.registration_code',
      'e.ticked_options',
      'e.data_choice',
      'e.postmark_date',
      sql<'invalid' | 'mismatch'>`e.outcome`.as('outcome'),
      'e.reason',
      'e.entered_at',
      'k1.registration_code as first_code',
      'k1.ticked_options as first_ticked_options',
      'k1.data_choice as first_data_choice',
      'k1.postmark_date as first_postmark_date',
    ])
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

export async function countFollowups(db: Db, campaignId: string): Promise<number> {
  const r = await pending(db, campaignId)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Closes the card (all its keyings) in the queue. */
export async function markCardResolved(db: Db, batchId: string, seq: number, at: Date): Promise<void> {
  await db
    .updateTable('postcard_entries')
    .set({ followup_resolved_at: at })
    .where('batch_id', '=', batchId)
    .where('seq', '=', seq)
    .execute();
}
