import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { Channel } from '../redemption/redemption.table.js';

/** The notice queue: late and duplicate cards whose sender has not been told yet. SQL only. */

export interface NoticeRow {
  id: string;
  batch_id: string;
  batch_label: string;
  seq: number;
  registration_code: string;
  outcome: 'late' | 'duplicate';
  /** Why the card was not accepted, for the operator (dates, never personal data). */
  reason: string | null;
  entered_at: Date;
  /** The customer's redemption that stands (for a duplicate card). */
  standing_channel: Channel | null;
  standing_redeemed_at: Date | null;
  /** False once the customer's personal data is erased: nowhere to post to. */
  has_address: boolean;
}

/**
 * One row per card, as in the follow-up queue: in a batch keyed twice the second keying's row
 * stands for the card (the first keying's row carries the same outcome).
 */
const pending = (db: Db, campaignId: string) =>
  db
    .selectFrom('postcard_entries as e')
    .innerJoin('postcard_batches as b', 'b.id', 'e.batch_id')
    .where('e.campaign_id', '=', campaignId)
    .where('e.notice_done_at', 'is', null)
    .where('e.outcome', 'in', ['late', 'duplicate'])
    .where((eb) => eb.or([eb('e.keying', '=', 2), eb('b.second_keying', '=', false)]));

export async function listNotices(db: Db, campaignId: string, limit: number): Promise<NoticeRow[]> {
  return pending(db, campaignId)
    .leftJoin('redemptions as r', 'r.customer_id', 'e.customer_id')
    .select([
      'e.id',
      'e.batch_id',
      'b.label as batch_label',
      'e.seq',
      'e.registration_code',
      sql<'late' | 'duplicate'>`e.outcome`.as('outcome'),
      'e.reason',
      'e.entered_at',
      'r.channel as standing_channel',
      'r.redeemed_at as standing_redeemed_at',
      sql<boolean>`exists (select 1 from customer_personal p where p.campaign_id = e.campaign_id and p.customer_id = e.customer_id)`.as(
        'has_address',
      ),
    ])
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

export async function countNotices(db: Db, campaignId: string): Promise<number> {
  const r = await pending(db, campaignId)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether the card still has a customer address (its personal data is not erased). */
export async function hasAddress(db: Db, campaignId: string, customerId: string | null): Promise<boolean> {
  if (customerId === null) return false;
  const row = await db
    .selectFrom('customer_personal')
    .select('customer_id')
    .where('campaign_id', '=', campaignId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Marks the card (all its keyings) told; false when it was already (a second click, a race). */
export async function markNoticeDone(
  db: Db,
  card: { batchId: string; seq: number },
  staffId: string,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('postcard_entries')
    .set({ notice_done_at: at, notice_done_by: staffId })
    .where('batch_id', '=', card.batchId)
    .where('seq', '=', card.seq)
    .where('notice_done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
