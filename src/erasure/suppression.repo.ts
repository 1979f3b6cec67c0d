import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/**
 * Adds the campaign's customers to the opt-out list with nothing but their customer numbers
 * (set-based). With the campaign, the statement touches (and locks) its partitions only.
 */
export async function addToSuppressionList(
  db: Db,
  campaignId: string,
  customerIds: string[],
  at: Date,
): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .insertInto('suppression_list')
    .columns(['customer_id', 'campaign_id', 'customer_ref', 'requested_at'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .leftJoin('customer_personal as p', (j) =>
          j.onRef('p.campaign_id', '=', 'c.campaign_id').onRef('p.customer_id', '=', 'c.id'),
        )
        .select(['c.id', 'c.campaign_id', 'p.customer_ref', eb.val(at).as('requested_at')])
        .where('c.campaign_id', '=', campaignId)
        .where('c.id', '=', sql<string>`any(${customerIds}::bigint[])`),
    )
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}
