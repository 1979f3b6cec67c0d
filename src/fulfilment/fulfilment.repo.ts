import { sql } from 'kysely';
import { insertIssuedCode } from '../pools/emoney-codes.repo.js';
import type { Db } from '../platform/database.js';

/** The redemption and where its campaign's e-money comes from, in one round trip. */
export async function findRedemptionToFulfil(db: Db, redemptionId: string) {
  return db
    .selectFrom('redemptions as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select([
      'r.id',
      'r.campaign_id',
      'r.customer_id',
      'r.option',
      'r.brand',
      'r.amount_yen',
      'r.fulfilled_at',
      sql<string | null>`c.definition #>> '{options,emoney,source}'`.as('emoney_source'),
      sql<string | null>`c.definition #>> '{options,donation,recipient}'`.as('donation_recipient'),
    ])
    .where('r.id', '=', redemptionId)
    .executeTakeFirst();
}

/**
 * Stores a vendor-issued code (the unique redemption_id keeps the first if asked twice) and marks
 * the redemption fulfilled, in one statement: atomic, and one round trip per gift.
 */
export async function storeCodeAndMarkFulfilled(
  db: Db,
  row: {
    campaign_id: string;
    brand: string;
    code: string;
    amount_yen: number;
    redemption_id: string;
    at: Date;
  },
): Promise<void> {
  await sql`
    with stored as (${insertIssuedCode(row)})
    update redemptions set fulfilled_at = ${row.at} where id = ${row.redemption_id} and fulfilled_at is null`.execute(
    db,
  );
}

/**
 * Marks fulfilled once; a second call changes nothing and says so. With `option`, only while the
 * redemption is still that gift: the update waits for a change of mind holding the row and then
 * re-checks (src/redemption/choice-change.service.ts).
 */
export async function markFulfilled(
  db: Db,
  redemptionId: string,
  at: Date,
  option?: 'emoney' | 'book_card' | 'donation',
): Promise<boolean> {
  const r = await db
    .updateTable('redemptions')
    .set({ fulfilled_at: at })
    .where('id', '=', redemptionId)
    .where('fulfilled_at', 'is', null)
    .$if(option !== undefined, (q) => q.where('option', '=', option!))
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
