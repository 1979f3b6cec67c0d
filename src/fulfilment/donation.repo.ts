import { sql, type Insertable } from 'kysely';
import type { Db } from '../platform/database.js';
import type { DonationLedgerTable } from './fulfilment.table.js';

/** Books once per redemption: the primary key decides, so a retried job books nothing twice. */
export async function insertDonation(db: Db, row: Insertable<DonationLedgerTable>): Promise<boolean> {
  const r = await db
    .insertInto('donation_ledger')
    .values(row)
    .onConflict((oc) => oc.column('redemption_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function sumDonations(db: Db, campaignId: string): Promise<{ count: number; totalYen: number }> {
  const r = await db
    .selectFrom('donation_ledger')
    .select([sql<string>`count(*)`.as('n'), sql<string>`coalesce(sum(amount_yen), 0)`.as('total')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), totalYen: Number(r.total) };
}

export interface DonationLedgerLine {
  redemption_id: string;
  booked_at: Date;
  recipient: string;
  amount_yen: number;
}

/** One page of a campaign's ledger in receipt-number order, after `afterId` (keyset paging). */
export async function listDonationPage(
  db: Db,
  campaignId: string,
  afterId: string,
  limit: number,
): Promise<DonationLedgerLine[]> {
  return db
    .selectFrom('donation_ledger')
    .select(['redemption_id', 'booked_at', 'recipient', 'amount_yen'])
    .where('campaign_id', '=', campaignId)
    .where('redemption_id', '>', afterId)
    .orderBy('redemption_id')
    .limit(limit)
    .execute();
}

/** The public figure: donations booked so far. */
export async function donationTotal(
  db: Db,
  campaignId: string,
): Promise<{ count: number; totalYen: number }> {
  const r = await db
    .selectFrom('donation_ledger')
    .select([sql<string>`count(*)`.as('n'), sql<string>`coalesce(sum(amount_yen), 0)`.as('yen')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), totalYen: Number(r.yen) };
}
