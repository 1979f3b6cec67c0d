import type { Db } from '../platform/database.js';

/** Adds the customer to the opt-out list with nothing but their customer number. */
export async function addToSuppressionList(db: Db, customerId: string, at: Date): Promise<void> {
  await db
    .insertInto('suppression_list')
    .columns(['customer_id', 'campaign_id', 'customer_ref', 'requested_at'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .leftJoin('customer_personal as p', 'p.customer_id', 'c.id')
        .select(['c.id', 'c.campaign_id', 'p.customer_ref', eb.val(at).as('requested_at')])
        .where('c.id', '=', customerId),
    )
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}
