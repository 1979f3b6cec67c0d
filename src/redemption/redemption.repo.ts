import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { fulfilJobId, JOB_QUEUE } from '../platform/queues.js';
import type { Channel, DataChoice, GiftOption, RedemptionRow } from './redemption.table.js';

/**
 * Recording redemptions is set-based: one statement per step with one array parameter per column
 * (unnest), whether it records one web redemption or an OCR file's chunk of postcards. One card or
 * one click is simply a set of one, so every channel runs the same SQL and the same conflict rules.
 */

/** What every redemption of one recording shares. */
export interface RedemptionOrigin {
  campaignId: string;
  channel: Channel;
  at: Date;
  /** The postcard batch and the operator who keyed the card; null on the web. */
  postcardBatchId: string | null;
  enteredBy: string | null;
}

export interface NewRedemption {
  customerId: string;
  option: GiftOption;
  brand: string | null;
  amountYen: number;
  dataChoice: DataChoice;
  addressConfirmed: boolean;
  postmarkDate: string | null;
}

/**
 * Inserts the redemptions whose customer has none yet (the unique constraint on customer_id
 * decides, not a prior read) and returns customer → new redemption id. Rows go in customer order
 * so that two concurrent sets never wait on each other in opposite orders.
 */
export async function insertRedemptionsOnce(
  db: Db,
  origin: RedemptionOrigin,
  rows: readonly NewRedemption[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const column = <K extends keyof NewRedemption>(k: K) => rows.map((r) => r[k]);
  const r = await sql<{ id: string; customer_id: string }>`
    insert into redemptions
      (customer_id, campaign_id, channel, option, brand, amount_yen, data_choice, address_confirmed,
       postmark_date, redeemed_at, postcard_batch_id, entered_by)
    select t.customer_id, ${origin.campaignId}::bigint, ${origin.channel}::text, t.option, t.brand, t.amount_yen,
           t.data_choice, t.address_confirmed, t.postmark_date, ${origin.at}::timestamptz,
           ${origin.postcardBatchId}::bigint, ${origin.enteredBy}::bigint
      from unnest(${column('customerId')}::bigint[], ${column('option')}::text[], ${column('brand')}::text[],
                  ${column('amountYen')}::int[], ${column('dataChoice')}::text[],
                  ${column('addressConfirmed')}::boolean[], ${column('postmarkDate')}::date[])
           as t(customer_id, option, brand, amount_yen, data_choice, address_confirmed, postmark_date)
     order by t.customer_id
    on conflict (customer_id) do nothing
    returning id, customer_id`.execute(db);
  return new Map(r.rows.map((x) => [x.customer_id, x.id]));
}

/** The intent to fulfil each new redemption, committed with it: a relay hands it to the queue later. */
export async function addFulfilIntents(db: Db, campaignId: string, redemptionIds: string[]): Promise<void> {
  if (redemptionIds.length === 0) return;
  await sql`
    insert into outbox (queue, job_name, job_id, payload)
    select ${JOB_QUEUE.fulfil}, 'fulfil', t.job_id, t.payload
      from unnest(${redemptionIds.map(fulfilJobId)}::text[],
                  ${redemptionIds.map((redemptionId) => JSON.stringify({ redemptionId, campaignId }))}::jsonb[])
           as t(job_id, payload)
    on conflict (job_id) do nothing`.execute(db);
}

/** The redemptions that stand for these customers (the ones a conflicting insert lost to). */
export async function findRedemptionsByCustomers(db: Db, customerIds: string[]): Promise<RedemptionRow[]> {
  if (customerIds.length === 0) return [];
  return db
    .selectFrom('redemptions')
    .selectAll()
    .where('customer_id', '=', sql<string>`any(${customerIds}::bigint[])`)
    .execute();
}

/**
 * The campaign's customer, locked for the rest of the redemption's transaction (see redeemOnWeb);
 * undefined for a customer of another campaign.
 */
export async function lockCustomerForRedemption(db: Db, campaignId: string, customerId: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'campaign_id', 'erased_at', 'erasure_requested_before'])
    .where('campaign_id', '=', campaignId)
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
}

export async function findRedemptionByCustomer(
  db: Db,
  customerId: string,
): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemptions').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
}

/** One row of findCustomerStatusRow: the customer, their personal data, redemption and code. */
export interface CustomerStatusRow {
  campaign_id: string;
  erasure_requested_before: boolean;
  erased_at: Date | null;
  erasure_receipt: string | null;
  leaked_items: string[];
  full_name: string | null;
  postal_code: string | null;
  address: string | null;
  ship_postal_code: string | null;
  ship_address: string | null;
  household_count: number | null;
  r_id: string | null;
  r_campaign_id: string | null;
  r_channel: Channel | null;
  r_option: GiftOption | null;
  r_brand: string | null;
  r_amount_yen: number | null;
  r_data_choice: DataChoice | null;
  r_address_confirmed: boolean | null;
  r_postmark_date: string | null;
  r_redeemed_at: Date | null;
  r_fulfilled_at: Date | null;
  r_postcard_batch_id: string | null;
  r_entered_by: string | null;
  emoney_code: string | null;
  batch_cut: boolean;
  donation_booked: boolean;
  last_changed_at: Date | null;
  session_live: boolean;
}

/**
 * Everything the customer's pages show, in one round trip (they are read on every page). Given the
 * key of the customer's session, the same statement says whether that session still lives (see
 * requireLiveSession): the page then needs no lookup of its own. Only the campaign's customer is
 * found (its partitions alone are read). The statement is the function customer_status (migration
 * 2026_12_01_021): PostgreSQL plans it once per server connection, not on every page.
 */
export async function findCustomerStatusRow(
  db: Db,
  campaignId: string,
  customerId: string,
  session?: { key: Buffer; now: Date },
): Promise<CustomerStatusRow | undefined> {
  const r = await sql<CustomerStatusRow>`select * from customer_status(
       ${campaignId}::bigint, ${customerId}::bigint, ${session?.key ?? null}::bytea, ${session?.now ?? null}::timestamptz)`.execute(
    db,
  );
  return r.rows[0];
}

/** What the web's one recording statement returns: the customer as locked, and the new redemption. */
export interface WebRedemptionResult {
  campaign_id: string;
  erased_at: Date | null;
  /** Null when none was created: another customer's campaign, erased, or one already stands. */
  redemption_id: string | null;
  data_choice: DataChoice | null;
}

/**
 * A web redemption in one statement (record_web_redemption, migration 2026_12_01_021): locks the
 * customer (FOR UPDATE, the lock an erasure takes), inserts the redemption when the customer belongs
 * to the campaign and is not erased (the unique constraint on customer_id settles a race, as in
 * insertRedemptionsOnce; 'erasure' stands for a customer who had asked before), and adds its
 * fulfilment intent (as addFulfilIntents). Returns undefined when there is no such customer.
 */
export async function insertWebRedemption(
  db: Db,
  origin: RedemptionOrigin,
  r: NewRedemption,
): Promise<WebRedemptionResult | undefined> {
  const res = await sql<WebRedemptionResult>`select * from record_web_redemption(
       ${origin.campaignId}::bigint, ${r.customerId}::bigint, ${origin.channel}::text, ${r.option}::text,
       ${r.brand}::text, ${r.amountYen}::int, ${r.dataChoice}::text, ${r.addressConfirmed}::boolean,
       ${r.postmarkDate}::date, ${origin.at}::timestamptz, ${origin.postcardBatchId}::bigint,
       ${origin.enteredBy}::bigint, ${JOB_QUEUE.fulfil}::text, ${fulfilJobId('')}::text)`.execute(db);
  return res.rows[0];
}
