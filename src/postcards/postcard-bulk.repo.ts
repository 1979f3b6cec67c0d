import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { fulfilJobId, JOB_QUEUE } from '../platform/queues.js';
import type { DataChoice } from '../redemption/redemption.table.js';
import type { PostcardOutcome } from './postcard.table.js';

/**
 * Set-based forms of insertRedemptionOnce, addToOutbox, addToSuppressionList and the entry insert
 * for an OCR file's chunk: one statement per chunk with one array parameter per column (unnest),
 * instead of one statement per card or thousands of parameters; the same conflict rules.
 */

export interface BulkRedemption {
  customerId: string;
  option: 'book_card' | 'donation';
  amountYen: number;
  dataChoice: DataChoice;
  postmarkDate: string;
}

/**
 * Inserts the redemptions whose customer has none yet (the unique constraint decides, as in
 * insertRedemptionOnce) and returns customer → new redemption. Rows go in customer order so that
 * two chunks never wait on each other in opposite orders.
 */
export async function insertRedemptionsOnce(
  db: Db,
  common: { campaignId: string; batchId: string; enteredBy: string; at: Date },
  rows: BulkRedemption[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const r = await sql<{ id: string; customer_id: string }>`
    insert into redemptions
      (customer_id, campaign_id, channel, option, brand, amount_yen, data_choice, postmark_date, redeemed_at,
       postcard_batch_id, entered_by)
    select t.customer_id, ${common.campaignId}, 'postcard', t.option, null, t.amount_yen, t.data_choice, t.postmark_date,
           ${common.at}, ${common.batchId}, ${common.enteredBy}
      from unnest(${rows.map((x) => x.customerId)}::bigint[], ${rows.map((x) => x.option)}::text[],
                  ${rows.map((x) => x.amountYen)}::int[], ${rows.map((x) => x.dataChoice)}::text[],
                  ${rows.map((x) => x.postmarkDate)}::date[])
           as t(customer_id, option, amount_yen, data_choice, postmark_date)
     order by t.customer_id
    on conflict (customer_id) do nothing
    returning id, customer_id`.execute(db);
  return new Map(r.rows.map((x) => [x.customer_id, x.id]));
}

/** The intent to fulfil each new redemption, committed with it (as addToOutbox does). */
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

/** Opt-outs with nothing but the customer number (as addToSuppressionList does). */
export async function addManyToSuppressionList(db: Db, customerIds: string[], at: Date): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .insertInto('suppression_list')
    .columns(['customer_id', 'campaign_id', 'customer_ref', 'requested_at'])
    .expression((eb) =>
      eb
        .selectFrom('customers as c')
        .leftJoin('customer_personal as p', 'p.customer_id', 'c.id')
        .select(['c.id', 'c.campaign_id', 'p.customer_ref', eb.val(at).as('requested_at')])
        .where('c.id', '=', sql<string>`any(${customerIds}::bigint[])`),
    )
    .onConflict((oc) => oc.column('customer_id').doNothing())
    .execute();
}

export interface BulkEntry {
  seq: number;
  code: string;
  customerId: string | null;
  gifts: string[];
  dataChoice: string;
  postmarkDate: string;
  outcome: PostcardOutcome;
  reason: string | null;
  redemptionId: string | null;
}

/** A chunk's entries, all of one batch, keying and clerk. */
export async function insertEntries(
  db: Db,
  common: { batchId: string; campaignId: string; keying: 1 | 2; enteredBy: string; at: Date },
  rows: BulkEntry[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into postcard_entries
      (batch_id, campaign_id, seq, keying, registration_code, customer_id, ticked_options, data_choice,
       postmark_date, outcome, reason, redemption_id, entered_by, entered_at)
    select ${common.batchId}, ${common.campaignId}, t.seq, ${common.keying}, t.code, t.customer_id,
           string_to_array(t.gifts, ','), t.data_choice, t.postmark_date, t.outcome, t.reason, t.redemption_id,
           ${common.enteredBy}, ${common.at}
      from unnest(${rows.map((x) => x.seq)}::int[], ${rows.map((x) => x.code)}::text[],
                  ${rows.map((x) => x.customerId)}::bigint[], ${rows.map((x) => x.gifts.join(','))}::text[],
                  ${rows.map((x) => x.dataChoice)}::text[], ${rows.map((x) => x.postmarkDate)}::date[],
                  ${rows.map((x) => x.outcome)}::text[], ${rows.map((x) => x.reason)}::text[],
                  ${rows.map((x) => x.redemptionId)}::bigint[])
           as t(seq, code, customer_id, gifts, data_choice, postmark_date, outcome, reason, redemption_id)`.execute(
    db,
  );
}
