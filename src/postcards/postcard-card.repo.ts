import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { Channel } from '../redemption/redemption.table.js';

/** What the database knows about the registration code on a card: SQL only. */

export interface CardHolderRow {
  registration_code: string;
  customer_id: string;
  erasure_requested_before: boolean;
  erased_at: Date | null;
  redemption_id: string | null;
  channel: Channel | null;
  redeemed_at: Date | null;
}

const holders = (db: Db, campaignId: string) =>
  db
    .selectFrom('customers as c')
    .leftJoin('redemptions as r', 'r.customer_id', 'c.id')
    .select([
      'c.registration_code',
      'c.id as customer_id',
      'c.erasure_requested_before',
      'c.erased_at',
      'r.id as redemption_id',
      'r.channel',
      'r.redeemed_at',
    ])
    .where('c.campaign_id', '=', campaignId);

export async function findCardHolder(
  db: Db,
  campaignId: string,
  code: string,
): Promise<CardHolderRow | undefined> {
  return holders(db, campaignId).where('c.registration_code', '=', code).executeTakeFirst();
}

/** The same for many codes in one round trip (an OCR file's chunk). */
export async function findCardHolders(db: Db, campaignId: string, codes: string[]): Promise<CardHolderRow[]> {
  if (codes.length === 0) return [];
  return holders(db, campaignId)
    .where('c.registration_code', '=', sql<string>`any(${codes}::text[])`)
    .execute();
}

/** The holder with the personal data an operator checks the card against (to be masked). */
export async function findHolderForCheck(db: Db, campaignId: string, code: string) {
  // Joined on both columns: the campaign's partition of customer_personal is found when the plan is made.
  return holders(db, campaignId)
    .leftJoin('customer_personal as p', (j) =>
      j.onRef('p.campaign_id', '=', 'c.campaign_id').onRef('p.customer_id', '=', 'c.id'),
    )
    .select(['p.full_name', 'p.address'])
    .where('c.registration_code', '=', code)
    .executeTakeFirst();
}
