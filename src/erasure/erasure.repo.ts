import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of erasure: personal rows deleted, the tombstone stamped with a receipt, in one statement. */

/**
 * The receipt printed on the customer's status page: the JST day and the customer's internal id.
 * Neither is personal; the id makes it unique. lpad would cut an id longer than 12 digits, hence
 * greatest().
 */
const receiptSql = (at: Date) =>
  sql<string>`'ER-' || to_char(${at}::timestamptz at time zone 'Asia/Tokyo', 'YYYYMMDD') || '-'
    || lpad(c.id::text, greatest(12, length(c.id::text)), '0')`;

export interface ErasedBatch {
  erased: number;
  /** Highest customer id looked at: the next batch starts after it. Null when nothing was due. */
  lastCustomerId: string | null;
}

/** Campaigns that may still hold personal data to erase (a purged one holds none). */
export async function listUnpurgedCampaignIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('purged_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Erases up to `limit` due customers of one campaign after `afterCustomerId`, in customer id order:
 * those whose redemption is fulfilled and who chose erasure or had asked for it before the letter.
 * Rows another runner holds are skipped (SKIP LOCKED), so runners share the work and nobody waits;
 * the `erased_at is null` re-check on update means a customer is counted once. A suppression entry
 * already exported loses its customer number with the rest of the personal data. Every statement
 * on customers and customer_personal names the campaign: both are partitioned by it, and only
 * that campaign's partitions are touched.
 */
export async function eraseDueBatch(
  db: Db,
  opts: { campaignId: string; afterCustomerId: string; limit: number; at: Date },
): Promise<ErasedBatch> {
  const { rows } = await sql<{ erased: string; last_id: string | null }>`
    with due as materialized (
      select c.id from redemptions r
        join customers c on c.campaign_id = ${opts.campaignId} and c.id = r.customer_id
       where r.campaign_id = ${opts.campaignId}
         and r.customer_id > ${opts.afterCustomerId}::bigint
         and c.id > ${opts.afterCustomerId}::bigint -- the planner does not carry the bound across the join
         and r.fulfilled_at is not null
         and c.erased_at is null
         and (r.data_choice = 'erasure' or c.erasure_requested_before)
       order by r.customer_id
       limit ${opts.limit}
         -- KEY SHARE of r: a change of mind holding the redemption (FOR UPDATE) is skipped, and
         -- one that committed since this statement began is re-checked against its new data choice.
         for update of c skip locked for key share of r skip locked
    ), ids as (
      -- An array, not a join: the planner then probes the primary keys instead of scanning tables.
      select array_agg(id) as a from due
    ), personal as (
      delete from customer_personal p
       where p.campaign_id = ${opts.campaignId} and p.customer_id = any((select a from ids)::bigint[])
    ), suppression as (
      update suppression_list s set customer_ref = null
       where s.customer_id = any((select a from ids)::bigint[]) and s.exported_at is not null and s.customer_ref is not null
    ), stamped as (
      update customers c set erased_at = ${opts.at}, erasure_receipt = ${receiptSql(opts.at)}
       where c.campaign_id = ${opts.campaignId} and c.id = any((select a from ids)::bigint[]) and c.erased_at is null
      returning c.id
    )
    select (select count(*) from stamped) as erased, (select max(id) from due)::text as last_id`.execute(db);
  const row = rows[0]!;
  return { erased: Number(row.erased), lastCustomerId: row.last_id };
}

export interface ErasedCustomer {
  erasedAt: Date;
  receipt: string;
}

/**
 * Erases one customer whatever their redemption's state (a request to the contact centre). Locks
 * the tombstone first so a concurrent batch cannot stamp it twice; an already erased customer
 * returns the receipt they were given.
 */
export async function eraseCustomer(
  trx: Db,
  customerId: string,
  at: Date,
): Promise<ErasedCustomer | undefined> {
  const locked = await trx
    .selectFrom('customers')
    .select(['id', 'campaign_id', 'erased_at', 'erasure_receipt'])
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) return undefined;
  if (locked.erased_at && locked.erasure_receipt)
    return { erasedAt: locked.erased_at, receipt: locked.erasure_receipt };
  await trx
    .deleteFrom('customer_personal')
    .where('campaign_id', '=', locked.campaign_id)
    .where('customer_id', '=', customerId)
    .execute();
  await trx
    .updateTable('suppression_list')
    .set({ customer_ref: null })
    .where('customer_id', '=', customerId)
    .where('exported_at', 'is not', null)
    .execute();
  const { rows } = await sql<{ erased_at: Date; erasure_receipt: string }>`
    update customers c set erased_at = ${at}, erasure_receipt = ${receiptSql(at)}
     where c.campaign_id = ${locked.campaign_id} and c.id = ${customerId}
    returning c.erased_at, c.erasure_receipt`.execute(trx);
  const row = rows[0]!;
  return { erasedAt: row.erased_at, receipt: row.erasure_receipt };
}
