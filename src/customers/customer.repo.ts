import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { retryOnLockConflict } from '../platform/pg-retry.js';
import type { CustomerPersonalTable, CustomerRow } from './customer.table.js';
import type { Insertable } from 'kysely';

export type CustomerLoginRecord = Pick<
  CustomerRow,
  'id' | 'campaign_id' | 'login_key_hash' | 'erased_at' | 'erasure_receipt'
>;

export async function findCustomerForLogin(
  db: Db,
  campaignId: string,
  registrationCode: string,
): Promise<CustomerLoginRecord | undefined> {
  return db
    .selectFrom('customers')
    .select(['id', 'campaign_id', 'login_key_hash', 'erased_at', 'erasure_receipt'])
    .where('registration_code', '=', registrationCode)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
}

export async function findCustomer(db: Db, id: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPersonal(db: Db, customerId: string) {
  return db
    .selectFrom('customer_personal')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export async function insertCustomer(
  db: Db,
  row: {
    campaign_id: string;
    registration_code: string;
    login_key_hash: Buffer;
    source_ref_hash: Buffer;
    leaked_items: string[];
    erasure_requested_before: boolean;
  },
  personal: Omit<Insertable<CustomerPersonalTable>, 'customer_id' | 'campaign_id'>,
): Promise<string> {
  // A campaign's partitions are made when its first customers come (migration 2026_12_01_014).
  await retryOnLockConflict(() => sql`select create_campaign_partitions(${row.campaign_id})`.execute(db));
  const { id } = await db.insertInto('customers').values(row).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('customer_personal')
    .values({
      ...personal,
      household: JSON.stringify(personal.household ?? []) as never,
      customer_id: id,
      campaign_id: row.campaign_id,
    })
    .execute();
  return id;
}

/** With the campaign: the statement then touches (and locks) that campaign's partition only. */
export async function setShippingAddress(
  db: Db,
  customer: { campaignId: string; customerId: string },
  postalCode: string,
  address: string,
) {
  await db
    .updateTable('customer_personal')
    .set({ ship_postal_code: postalCode, ship_address: address })
    .where('campaign_id', '=', customer.campaignId)
    .where('customer_id', '=', customer.customerId)
    .execute();
}

export async function replaceLoginKeyHash(db: Db, customerId: string, hash: Buffer) {
  await db.updateTable('customers').set({ login_key_hash: hash }).where('id', '=', customerId).execute();
}
