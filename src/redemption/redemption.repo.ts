import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { NewRedemptionRow, RedemptionRow } from './redemption.table.js';

/** Inserts unless the customer already has one; the unique constraint decides, not a prior read. */
export async function insertRedemptionOnce(db: Db, row: NewRedemptionRow): Promise<string | undefined> {
  const inserted = await db
    .insertInto('redemptions')
    .values(row)
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** The customer, locked for the rest of the redemption's transaction (see redeemOnWeb). */
export async function lockCustomerForRedemption(db: Db, customerId: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'campaign_id', 'erased_at', 'erasure_requested_before'])
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export async function findRedemptionByCustomer(
  db: Db,
  customerId: string,
): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemptions').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
}

/** Everything the customer's pages show, in one round trip (they are read on every page). */
export async function findCustomerStatusRow(db: Db, customerId: string) {
  return db
    .selectFrom('customers as c')
    .leftJoin('customer_personal as p', 'p.customer_id', 'c.id')
    .leftJoin('redemptions as r', 'r.customer_id', 'c.id')
    .leftJoin('emoney_codes as e', 'e.redemption_id', 'r.id')
    .select([
      'c.campaign_id',
      'c.erasure_requested_before',
      'c.erased_at',
      'c.erasure_receipt',
      'c.leaked_items',
      'p.full_name',
      'p.postal_code',
      'p.address',
      'p.ship_postal_code',
      'p.ship_address',
      sql<number | null>`jsonb_array_length(p.household)`.as('household_count'),
      'r.id as r_id',
      'r.campaign_id as r_campaign_id',
      'r.channel as r_channel',
      'r.option as r_option',
      'r.brand as r_brand',
      'r.amount_yen as r_amount_yen',
      'r.data_choice as r_data_choice',
      'r.address_confirmed as r_address_confirmed',
      'r.postmark_date as r_postmark_date',
      'r.redeemed_at as r_redeemed_at',
      'r.fulfilled_at as r_fulfilled_at',
      'r.postcard_batch_id as r_postcard_batch_id',
      'r.entered_by as r_entered_by',
      'e.code as emoney_code',
    ])
    .where('c.id', '=', customerId)
    .executeTakeFirst();
}
