import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { isLockConflict, retryOnLockConflict } from '../platform/pg-retry.js';

/** SQL of the purge: sampling, counting and deleting a campaign's personal data, and the leftover scan. */

export interface PersonalSampleRow {
  full_name: string;
  full_name_kana: string | null;
  address: string;
  ship_address: string | null;
  phone: string | null;
  email: string | null;
  customer_ref: string | null;
  household_names: string[];
}

/**
 * Up to `limit` customers' personal values, read before they are deleted so the checks can look for
 * them afterwards. Ordered by the person digest (a keyed hash): an index walk that lands on an
 * arbitrary spread of customers, without sorting the campaign.
 */
export async function samplePersonalRows(
  db: Db,
  campaignId: string,
  limit: number,
): Promise<PersonalSampleRow[]> {
  const { rows } = await sql<PersonalSampleRow>`
    select full_name, full_name_kana, address, ship_address, phone, email, customer_ref,
           case when jsonb_typeof(household) = 'array'
                then array(select h->>'name' from jsonb_array_elements(household) h where h->>'name' is not null)
                else '{}'::text[] end as household_names
      from customer_personal
     where campaign_id = ${campaignId}
     order by person_digest
     limit ${limit}`.execute(db);
  return rows;
}

export interface CampaignDataCounts {
  customer_personal: number;
  login_attempts: number;
  suppression_list_refs: number;
  outbox: number;
  shipping_manifests: number;
  /** Reasons and notes typed by the contact centre. */
  contact_notes: number;
  customer_sessions: number;
  /** Reissued letters (name, address, live login key) not downloaded yet. */
  reissue_letters: number;
  /** Letters' verification tokens (hashes) and the wrong tokens shown for the campaign. */
  letter_tokens: number;
}

export async function countCampaignData(db: Db, campaignId: string): Promise<CampaignDataCounts> {
  const { rows } = await sql<Record<keyof CampaignDataCounts, string>>`
    select
      (select count(*) from customer_personal where campaign_id = ${campaignId}) as customer_personal,
      (select count(*) from login_attempts where campaign_id = ${campaignId}) as login_attempts,
      (select count(*) from suppression_list where campaign_id = ${campaignId} and customer_ref is not null)
        as suppression_list_refs,
      (select count(*) from outbox where payload->>'campaignId' = ${campaignId}::text) as outbox,
      (select count(*) from shipping_batches where campaign_id = ${campaignId} and manifest_file is not null)
        as shipping_manifests,
      (select count(*) from contact_notes where campaign_id = ${campaignId}) as contact_notes,
      (select count(*) from customer_sessions where campaign_id = ${campaignId}) as customer_sessions,
      (select count(*) from contact_requests where campaign_id = ${campaignId} and print_file is not null)
        as reissue_letters,
      (select count(*) from letter_tokens where campaign_id = ${campaignId})
        + (select count(*) from letter_check_failures where campaign_id = ${campaignId}) as letter_tokens`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    customer_personal: Number(row.customer_personal),
    login_attempts: Number(row.login_attempts),
    suppression_list_refs: Number(row.suppression_list_refs),
    outbox: Number(row.outbox),
    shipping_manifests: Number(row.shipping_manifests),
    contact_notes: Number(row.contact_notes),
    customer_sessions: Number(row.customer_sessions),
    reissue_letters: Number(row.reissue_letters),
    letter_tokens: Number(row.letter_tokens),
  };
}

/**
 * The campaign's personal rows and letter tokens go at once, files and all: their partitions are
 * truncated in the owner's function of migration 2026_12_01_017 (the service's role has no DDL
 * rights), which locks only those partitions, never the shared parents that every campaign's pages
 * read. Nothing of them is left in a shared table's dead tuples. Their counts are taken before.
 */
export async function emptyPersonalPartitions(db: Db, campaignId: string): Promise<void> {
  await retryOnLockConflict(() => sql`select empty_campaign_personal_partitions(${campaignId})`.execute(db));
}

/**
 * Then the empty partitions themselves, when the parents' lock comes within 200 ms (one try):
 * while a drop waits for it, every campaign's pages wait too. False when they stay for a later run.
 */
export async function dropEmptyPersonalPartitions(db: Db, campaignId: string): Promise<boolean> {
  try {
    await sql`select drop_campaign_personal_partitions(${campaignId})`.execute(db);
    return true;
  } catch (err) {
    if (isLockConflict(err)) return false;
    throw err;
  }
}

/** Purged campaigns whose emptied partitions are still there (their drop found the parents busy). */
export async function listPurgedWithPartitionsLeft(db: Db, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from campaigns
     where state = 'purged'
       and (to_regclass('customer_personal_c' || id) is not null or to_regclass('letter_tokens_c' || id) is not null)
     order by id
     limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/** Login attempts hold keyed digests of codes and client addresses: pseudonymous, so they go too. */
export async function deleteLoginAttempts(db: Db, campaignId: string): Promise<number> {
  const r = await db.deleteFrom('login_attempts').where('campaign_id', '=', campaignId).executeTakeFirst();
  // The throttle's rows of the campaign's codes (keyed digests, like the attempts).
  await sql`delete from login_throttle where campaign_id = ${campaignId}`.execute(db);
  return Number(r.numDeletedRows);
}

/** Opt-outs keep their dates for the record; the customer number goes. */
export async function clearSuppressionRefs(db: Db, campaignId: string): Promise<number> {
  const r = await db
    .updateTable('suppression_list')
    .set({ customer_ref: null })
    .where('campaign_id', '=', campaignId)
    .where('customer_ref', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteCampaignOutbox(db: Db, campaignId: string): Promise<number> {
  const r = await sql`delete from outbox where payload->>'campaignId' = ${campaignId}::text`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function clearManifestFiles(db: Db, campaignId: string): Promise<void> {
  await db
    .updateTable('shipping_batches')
    .set({ manifest_file: null })
    .where('campaign_id', '=', campaignId)
    .where('manifest_file', 'is not', null)
    .execute();
}

export async function insertPurgeReport(
  db: Db,
  r: { campaignId: string; startedAt: Date; finishedAt: Date; report: unknown },
): Promise<void> {
  await db
    .insertInto('purge_reports')
    .values({
      campaign_id: r.campaignId,
      started_at: r.startedAt,
      finished_at: r.finishedAt,
      report: JSON.stringify(r.report),
    })
    .execute();
}

export async function markCampaignPurged(db: Db, campaignId: string, at: Date): Promise<void> {
  await db
    .updateTable('campaigns')
    .set((eb) => ({ state: 'purged', purged_at: at, closed_at: eb.fn.coalesce('closed_at', eb.val(at)) }))
    .where('id', '=', campaignId)
    .execute();
}

/** Campaigns not purged yet whose purge deadline is less than a day away (or past). */
export async function listCampaignsDueForPurge(db: Db, until: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('state', '<>', 'purged')
    .where('purge_deadline_at', '<=', until)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** The campaign's latest purge report: its id and outcome (older reports have only `passed`). */
export async function findLatestPurgeReport(
  db: Db,
  campaignId: string,
): Promise<{ id: string; outcome: string | null; passed: boolean | null } | undefined> {
  const { rows } = await sql<{ id: string; outcome: string | null; passed: boolean | null }>`
    select id, report->>'outcome' as outcome, (report->>'passed')::boolean as passed
      from purge_reports where campaign_id = ${campaignId}
     order by id desc limit 1`.execute(db);
  return rows[0];
}

/** The contact centre's typed notes and the customers' sessions: deleted with the campaign. */
export async function deleteContactTraces(db: Db, campaignId: string): Promise<void> {
  await sql`delete from contact_notes where campaign_id = ${campaignId}`.execute(db);
  await sql`delete from customer_sessions where campaign_id = ${campaignId}`.execute(db);
}

export async function clearReissueLetterFiles(db: Db, campaignId: string): Promise<void> {
  await sql`update contact_requests set print_file = null
             where campaign_id = ${campaignId} and print_file is not null`.execute(db);
}
