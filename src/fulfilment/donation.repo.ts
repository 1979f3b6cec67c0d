import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { DonationLedgerTable } from './fulfilment.table.js';

/** Books once per redemption: the primary key decides, so a retried job books nothing twice. */
export async function insertDonation(db: Db, row: DonationLedgerTable): Promise<boolean> {
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
