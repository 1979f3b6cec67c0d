import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** Adds the customers to the opt-out list with nothing but their customer numbers (set-based). */
export async function addToSuppressionList(db: Db, customerIds: string[], at: Date): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .insertInto('suppression_list')
    .columns(['customer_id', 'campaign_id', 'customer_ref', 'requested_at'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .leftJoin('customer_personal as p', 'p.customer_id', 'c.id')
        .select(['c.id', 'c.campaign_id', 'p.customer_ref', eb.val(at).as('requested_at')])
        .where('c.id', '=', sql<string>`any(${customerIds}::bigint[])`),
    )
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}
