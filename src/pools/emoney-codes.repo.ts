import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/database.js';

/** The e-money code pool's rows: allocated once per redemption (web, postcard or the vendor path). */

/**
 * The oldest free code of the brand, locked for this transaction. SKIP LOCKED lets concurrent
 * redemptions take different codes without waiting on each other.
 *
 * Why `brand` is a range and the order is (brand, id): with `brand = $b … order by id`, the planner
 * may read the primary key in id order and filter, since for LIMIT 1 both plans cost the same
 * under its assumption that a brand's free codes are spread evenly over the ids. They are not: codes
 * are uploaded brand by brand and handed out from the front, so that plan walks every code of the
 * brands uploaded before and every code already allocated (tens of thousands of rows, 20–35 ms per
 * redemption with 100,000 codes, chosen after any ANALYZE that finds the pool mostly free). An order
 * on (brand, id) with no equality on brand is one only emoney_codes_free_idx (campaign_id, brand, id)
 * gives without sorting, so the plan is that index's scan, whatever the statistics say.
 */
export function freeCodeOfBrand(db: Db, campaignId: string, brand: string) {
  return db
    .selectFrom('emoney_codes')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('brand', '>=', brand)
    .where('brand', '<=', brand)
    .where('redemption_id', 'is', null)
    .orderBy('brand')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked();
}

/** Takes one free code of the brand for this redemption (see freeCodeOfBrand). */
export async function allocateEmoneyCode(
  db: Db,
  campaignId: string,
  brand: string,
  redemptionId: string,
  now: Date,
): Promise<string | undefined> {
  const row = await db
    .updateTable('emoney_codes')
    .set({ redemption_id: redemptionId, allocated_at: now })
    .where('id', '=', freeCodeOfBrand(db, campaignId, brand))
    .returning('code')
    .executeTakeFirst();
  return row?.code;
}

export async function findEmoneyCode(db: Db, redemptionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('emoney_codes')
    .select('code')
    .where('redemption_id', '=', redemptionId)
    .executeTakeFirst();
  return row?.code;
}

export async function insertEmoneyCodes(
  db: Db,
  rows: { campaign_id: string; brand: string; code: string; amount_yen: number }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db
    .insertInto('emoney_codes')
    .values(rows)
    .onConflict((oc) => oc.columns(['brand', 'code']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** A code the vendor issued for a redemption, as stored. */
export interface IssuedCodeRow {
  campaign_id: string;
  brand: string;
  code: string;
  amount_yen: number;
  redemption_id: string;
  at: Date;
}

/**
 * The statement that stores a vendor-issued code for its redemption (the unique redemption_id keeps
 * the first if asked twice). A fragment, so fulfilment can run it with its own update in one round trip.
 */
export function insertIssuedCode(row: IssuedCodeRow): RawBuilder<unknown> {
  return sql`
    insert into emoney_codes (campaign_id, brand, code, amount_yen, redemption_id, allocated_at)
    values (${row.campaign_id}, ${row.brand}, ${row.code}, ${row.amount_yen}, ${row.redemption_id}, ${row.at})
    on conflict (redemption_id) do nothing`;
}

/** insertIssuedCode for many codes in one statement, inserted in redemption id order. */
export function insertIssuedCodes(rows: IssuedCodeRow[]): RawBuilder<unknown> {
  const col = <K extends keyof IssuedCodeRow>(k: K) => rows.map((r) => r[k]);
  return sql`
    insert into emoney_codes (campaign_id, brand, code, amount_yen, redemption_id, allocated_at)
    select * from unnest(${col('campaign_id')}::bigint[], ${col('brand')}::text[], ${col('code')}::text[],
                         ${col('amount_yen')}::int[], ${col('redemption_id')}::bigint[], ${col('at')}::timestamptz[])
             as v(campaign_id, brand, code, amount_yen, redemption_id, at)
     order by redemption_id
    on conflict (redemption_id) do nothing`;
}
