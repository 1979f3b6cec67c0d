import type { Db } from '../platform/database.js';

/** The registration code of the customer whose redemption this is (a primary-key probe and a join). */
export async function findRegistrationCodeOfRedemption(
  db: Db,
  redemptionId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('redemptions as r')
    .innerJoin('customers as c', (j) =>
      // The redemption's campaign names the customer's partition.
      j.onRef('c.campaign_id', '=', 'r.campaign_id').onRef('c.id', '=', 'r.customer_id'),
    )
    .select('c.registration_code')
    .where('r.id', '=', redemptionId)
    .executeTakeFirst();
  return row?.registration_code;
}
