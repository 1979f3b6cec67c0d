import { sql } from 'kysely';
import { insertIssuedCode, insertIssuedCodes, type IssuedCodeRow } from '../pools/emoney-codes.repo.js';
import type { Db } from '../platform/database.js';

const toFulfilColumns = [
  'r.id',
  'r.campaign_id',
  'r.customer_id',
  'r.option',
  'r.brand',
  'r.amount_yen',
  'r.fulfilled_at',
  sql<string | null>`c.definition #>> '{options,emoney,source}'`.as('emoney_source'),
  sql<string | null>`c.definition #>> '{options,donation,recipient}'`.as('donation_recipient'),
] as const;

/** The redemption and where its campaign's e-money comes from, in one round trip. */
export async function findRedemptionToFulfil(db: Db, redemptionId: string) {
  return db
    .selectFrom('redemptions as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select(toFulfilColumns)
    .where('r.id', '=', redemptionId)
    .executeTakeFirst();
}

export type RedemptionToFulfil = NonNullable<Awaited<ReturnType<typeof findRedemptionToFulfil>>>;

/** The same for many redemptions in one round trip (the worker's jobs in hand). */
export async function findRedemptionsToFulfil(
  db: Db,
  redemptionIds: string[],
): Promise<RedemptionToFulfil[]> {
  if (redemptionIds.length === 0) return [];
  return db
    .selectFrom('redemptions as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select(toFulfilColumns)
    .where('r.id', '=', sql<string>`any(${redemptionIds}::bigint[])`)
    .execute();
}

/**
 * Stores a vendor-issued code (the unique redemption_id keeps the first if asked twice) and marks
 * the redemption fulfilled, in one statement: atomic, and one round trip per gift.
 */
export async function storeCodeAndMarkFulfilled(db: Db, row: IssuedCodeRow): Promise<void> {
  await sql`
    with stored as (${insertIssuedCode(row)})
    update redemptions set fulfilled_at = ${row.at} where id = ${row.redemption_id} and fulfilled_at is null`.execute(
    db,
  );
}

/**
 * storeCodeAndMarkFulfilled for many gifts in one statement and one commit: the codes stored (the
 * unique redemption_id keeps the first if a redemption comes twice) and the redemptions marked
 * fulfilled, all or none. Rows are locked in id order, so two workers' batches cannot deadlock.
 */
export async function storeCodesAndMarkFulfilled(db: Db, rows: IssuedCodeRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof IssuedCodeRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    with stored as (${insertIssuedCodes(rows)}),
    v as (
      select * from unnest(${col('redemption_id')}::bigint[], ${col('at')}::timestamptz[]) as v(redemption_id, at)
    ), locked as (
      select r.id from redemptions r
       where r.id = any(${col('redemption_id')}::bigint[]) and r.fulfilled_at is null
       order by r.id
         for no key update
    )
    update redemptions r set fulfilled_at = v.at
      from locked join v on v.redemption_id = locked.id
     where r.id = locked.id and r.fulfilled_at is null`.execute(db);
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

/**
 * Gifts not yet delivered that a job can deliver now (book cards wait for their batch); with
 * `redeemedBefore`, only those redeemed before then.
 */
export async function listUnfulfilledIds(
  db: Db,
  limit: number,
  afterId = '0',
  redeemedBefore?: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom('redemptions')
    .select('id')
    .where('fulfilled_at', 'is', null)
    .where('option', 'in', ['emoney', 'donation'])
    .where('id', '>', afterId)
    .$if(redeemedBefore !== undefined, (q) => q.where('redeemed_at', '<', redeemedBefore!))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
