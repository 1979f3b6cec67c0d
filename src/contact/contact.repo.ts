import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of the contact centre: the customer's state across redemption, fulfilment, erasure, opt-out. */

export async function findCustomerIdByCode(db: Db, registrationCode: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('registration_code', '=', registrationCode)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Locks the customer for the rest of the transaction: an action re-checks the state it acts on
 * (erased? opted out?) without a concurrent erasure slipping in between.
 */
export async function lockCustomer(trx: Db, customerId: string) {
  return trx
    .selectFrom('customers')
    .select([
      'id',
      'campaign_id',
      'registration_code',
      'leaked_items',
      'erased_at',
      'erasure_receipt',
      'erasure_requested_before',
    ])
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export interface ShippingFact {
  batch_id: string;
  line_no: number;
  tracking_number: string | null;
  cut_at: Date;
  shipped_at: Date | null;
}

export async function findShippingFact(db: Db, redemptionId: string): Promise<ShippingFact | undefined> {
  return db
    .selectFrom('shipping_lines as l')
    .innerJoin('shipping_batches as b', 'b.id', 'l.batch_id')
    .select(['l.batch_id', 'l.line_no', 'l.tracking_number', 'b.cut_at', 'b.shipped_at'])
    .where('l.redemption_id', '=', redemptionId)
    .executeTakeFirst();
}

export async function findDonationFact(db: Db, redemptionId: string) {
  return db
    .selectFrom('donation_ledger')
    .select(['booked_at', 'amount_yen', 'recipient'])
    .where('redemption_id', '=', redemptionId)
    .executeTakeFirst();
}

/** Whether a gift code is attached; the code itself is the customer's and never leaves this query. */
export async function hasEmoneyCode(db: Db, redemptionId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from emoney_codes where redemption_id = ${redemptionId}) as found`.execute(db);
  return rows[0]?.found ?? false;
}

export async function findOptOut(db: Db, customerId: string) {
  return db
    .selectFrom('suppression_list')
    .select(['requested_at', 'exported_at'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

/** Erase after delivery: the same flag the import sets for those who asked before the letter. */
export async function setErasureRequested(trx: Db, customerId: string): Promise<void> {
  await trx
    .updateTable('customers')
    .set({ erasure_requested_before: true })
    .where('id', '=', customerId)
    .where('erased_at', 'is', null)
    .execute();
}
