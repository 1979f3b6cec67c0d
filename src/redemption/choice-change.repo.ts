import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { RedemptionChangeRow, RedemptionChangeTable } from './choice-change.table.js';
import type { DataChoice, GiftOption } from './redemption.table.js';

/** SQL of a change of mind: the redemption locked and updated, the change recorded. */

/**
 * The customer's redemption, locked until the transaction ends. FOR UPDATE (not the weaker lock an
 * UPDATE takes) so that a shipping line or a ledger entry being inserted for it (their foreign
 * keys take KEY SHARE locks) waits for the change, and erasure's batch (which takes KEY SHARE on
 * the redemption, SKIP LOCKED) passes this customer by until the change has committed.
 */
export async function lockRedemptionOfCustomer(db: Db, customerId: string) {
  return db
    .selectFrom('redemptions')
    .select([
      'id',
      'campaign_id',
      'option',
      'brand',
      'amount_yen',
      'data_choice',
      'address_confirmed',
      'fulfilled_at',
    ])
    .where('customer_id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

/** What fulfilment has already done with the redemption (both are primary-key probes). */
export async function findFulfilmentProgress(
  db: Db,
  redemptionId: string,
): Promise<{ batchCut: boolean; donationBooked: boolean }> {
  const { rows } = await sql<{ batch_cut: boolean; donation_booked: boolean }>`
    select exists (select 1 from shipping_lines where redemption_id = ${redemptionId}) as batch_cut,
           exists (select 1 from donation_ledger where redemption_id = ${redemptionId}) as donation_booked`.execute(
    db,
  );
  return { batchCut: rows[0]!.batch_cut, donationBooked: rows[0]!.donation_booked };
}

export async function updateRedemptionChoice(
  db: Db,
  redemptionId: string,
  to: {
    option: GiftOption;
    brand: string | null;
    amountYen: number;
    dataChoice: DataChoice;
    addressConfirmed: boolean;
  },
): Promise<void> {
  await db
    .updateTable('redemptions')
    .set({
      option: to.option,
      brand: to.brand,
      amount_yen: to.amountYen,
      data_choice: to.dataChoice,
      address_confirmed: to.addressConfirmed,
    })
    .where('id', '=', redemptionId)
    .execute();
}

export async function insertChange(
  db: Db,
  row: Omit<RedemptionChangeTable, 'id' | 'address_changed'> & { address_changed: boolean },
): Promise<string> {
  const r = await db.insertInto('redemption_changes').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The redemption's changes, oldest first. */
export async function listChanges(db: Db, redemptionId: string): Promise<RedemptionChangeRow[]> {
  return db
    .selectFrom('redemption_changes')
    .selectAll()
    .where('redemption_id', '=', redemptionId)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
}
