import type { Db } from '../platform/database.js';

export async function findRedemptionToFulfil(db: Db, redemptionId: string) {
  return db
    .selectFrom('redemptions')
    .select(['id', 'campaign_id', 'customer_id', 'option', 'brand', 'amount_yen', 'fulfilled_at'])
    .where('id', '=', redemptionId)
    .executeTakeFirst();
}

/** Stores a vendor-issued code; the unique redemption_id keeps the first one if asked twice. */
export async function storeIssuedCode(
  db: Db,
  row: {
    campaign_id: string;
    brand: string;
    code: string;
    amount_yen: number;
    redemption_id: string;
    allocated_at: Date;
  },
): Promise<void> {
  await db
    .insertInto('emoney_codes')
    .values(row)
    .onConflict((oc) => oc.column('redemption_id').doNothing())
    .execute();
}

/** Marks fulfilled once; a second call changes nothing and says so. */
export async function markFulfilled(db: Db, redemptionId: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('redemptions')
    .set({ fulfilled_at: at })
    .where('id', '=', redemptionId)
    .where('fulfilled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gifts not yet delivered that a job can deliver now (book cards wait for their batch). */
export async function listUnfulfilledIds(db: Db, limit: number, afterId = '0'): Promise<string[]> {
  const rows = await db
    .selectFrom('redemptions')
    .select('id')
    .where('fulfilled_at', 'is', null)
    .where('option', 'in', ['emoney', 'donation'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
