import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of book-card shipping: batches, their lines, the manifest's lines and the vendor's shipped file. */

const CUT_LOCK_NAMESPACE = 0x4f575348; // "OWSH"

/** Campaigns with book cards not yet in any batch (an index probe per campaign, not a scan). */
export async function listCampaignsWithUnbatchedCards(db: Db): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select c.id from campaigns c
     where exists (
       select 1 from redemptions r
        where r.campaign_id = c.id and r.option = 'book_card' and r.fulfilled_at is null
          and not exists (select 1 from shipping_lines l where l.redemption_id = r.id))
     order by c.id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Serialises cuts of one campaign until the transaction ends. The shipping_lines primary key would
 * already refuse a second line for a redemption; the lock makes a concurrent cut wait and then see
 * the committed lines instead of failing on that key.
 */
export async function lockCampaignCut(trx: Db, campaignId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CUT_LOCK_NAMESPACE}::int, ${campaignId}::int)`.execute(trx);
}

export interface CutBatch {
  id: string;
  lineCount: number;
  /** Highest redemption id in the batch: the next cut of this run starts after it. */
  lastRedemptionId: string;
}

/**
 * Cuts one batch in one statement: up to `maxLines` book cards of the campaign, in redemption id
 * order, that have no line yet and whose customer still has personal data (an erased customer has
 * no address to ship to). Undefined when there is nothing to cut.
 *
 * `offset 0` keeps both EXISTS tests as per-row primary-key probes: otherwise the planner may turn
 * them into hash joins over all of shipping_lines and customer_personal (every campaign's rows)
 * for every batch, and statistics on shipping_lines are stale by design while a cut is running.
 */
export async function cutNextBatch(
  trx: Db,
  campaignId: string,
  afterRedemptionId: string,
  maxLines: number,
  at: Date,
): Promise<CutBatch | undefined> {
  const { rows } = await sql<{ id: string; line_count: number; last_id: string }>`
    with picked as materialized (
      select r.id from redemptions r
       where r.campaign_id = ${campaignId} and r.option = 'book_card' and r.fulfilled_at is null
         and r.id > ${afterRedemptionId}
         and exists (select 1 from customer_personal p
                      where p.campaign_id = ${campaignId} and p.customer_id = r.customer_id offset 0)
         and not exists (select 1 from shipping_lines l where l.redemption_id = r.id offset 0)
       order by r.id
       limit ${maxLines}
    ), batch as (
      insert into shipping_batches (campaign_id, line_count, cut_at)
      select ${campaignId}, count(*), ${at} from picked having count(*) > 0
      returning id, line_count
    ), lines as (
      insert into shipping_lines (redemption_id, batch_id, line_no)
      select p.id, b.id, row_number() over (order by p.id) from picked p cross join batch b
    )
    select b.id, b.line_count, (select max(id) from picked)::text as last_id from batch b`.execute(trx);
  const row = rows[0];
  return row && { id: row.id, lineCount: row.line_count, lastRedemptionId: row.last_id };
}

export interface BatchRecord {
  id: string;
  campaign_id: string;
  campaign_slug: string;
  line_count: number;
  cut_at: Date;
  manifest_file: string | null;
  shipped_at: Date | null;
}

export async function findBatch(db: Db, batchId: string, lock = false): Promise<BatchRecord | undefined> {
  const { rows } = await sql<BatchRecord>`
    select b.id, b.campaign_id, c.slug as campaign_slug, b.line_count, b.cut_at, b.manifest_file, b.shipped_at
      from shipping_batches b join campaigns c on c.id = b.campaign_id
     where b.id = ${batchId}
     ${lock ? sql`for update of b` : sql``}`.execute(db);
  return rows[0];
}

export async function listBatchRecords(db: Db, campaignId: string): Promise<BatchRecord[]> {
  const { rows } = await sql<BatchRecord>`
    select b.id, b.campaign_id, c.slug as campaign_slug, b.line_count, b.cut_at, b.manifest_file, b.shipped_at
      from shipping_batches b join campaigns c on c.id = b.campaign_id
     where b.campaign_id = ${campaignId}
     order by b.id`.execute(db);
  return rows;
}

/** Batches the vendor may still need a manifest for. */
export async function listUnshippedBatches(db: Db, campaignId?: string): Promise<BatchRecord[]> {
  const { rows } = await sql<BatchRecord>`
    select b.id, b.campaign_id, c.slug as campaign_slug, b.line_count, b.cut_at, b.manifest_file, b.shipped_at
      from shipping_batches b join campaigns c on c.id = b.campaign_id
     where b.shipped_at is null ${campaignId ? sql`and b.campaign_id = ${campaignId}` : sql``}
     order by b.id`.execute(db);
  return rows;
}

export interface ManifestLine {
  batch: string;
  line: number;
  registration_code: string;
  name: string;
  postal_code: string;
  address: string;
}

/**
 * One page of the batch's manifest, in line order after `afterLine` (keyset paging on the
 * (batch_id, line_no) key, so memory stays at one page whatever the batch size). Corrected
 * shipping addresses win over the letter's; nothing but the six columns the vendor needs leaves
 * the database.
 *
 * The page's lines are taken first, then each line's customer by primary-key probes (`offset 0`
 * keeps the lateral subquery a per-line probe). Written as one join, the planner sorted every
 * remaining line of the batch for each page when the statistics of shipping_lines were stale
 * (they are, right after a cut), and with fresh ones hashed all of redemptions for a page.
 */
export async function manifestPage(
  db: Db,
  batch: { id: string; campaignId: string },
  afterLine: number,
  limit: number,
): Promise<ManifestLine[]> {
  const { rows } = await sql<ManifestLine>`
    select l.batch_id::text as batch, l.line_no as line, x.registration_code, x.name, x.postal_code, x.address
      from (select batch_id, line_no, redemption_id from shipping_lines
             where batch_id = ${batch.id} and line_no > ${afterLine}
             order by line_no
             limit ${limit}) l
      cross join lateral (
        select c.registration_code, p.full_name as name,
               coalesce(p.ship_postal_code, p.postal_code) as postal_code,
               coalesce(p.ship_address, p.address) as address
          from redemptions r
          join customers c on c.campaign_id = ${batch.campaignId} and c.id = r.customer_id
          join customer_personal p on p.campaign_id = ${batch.campaignId} and p.customer_id = r.customer_id
         where r.id = l.redemption_id
        offset 0) x
     order by l.line_no`.execute(db);
  return rows;
}

/** Records the written file; false when the batch was marked shipped meanwhile (then the file must go). */
export async function setManifestFile(db: Db, batchId: string, file: string): Promise<boolean> {
  const r = await db
    .updateTable('shipping_batches')
    .set({ manifest_file: file })
    .where('id', '=', batchId)
    .where('shipped_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setBatchShipped(db: Db, batchId: string, at: Date): Promise<void> {
  await db.updateTable('shipping_batches').set({ shipped_at: at }).where('id', '=', batchId).execute();
}

/** Fulfils every redemption of the batch not fulfilled yet; returns how many were. */
export async function fulfilBatchRedemptions(db: Db, batchId: string, at: Date): Promise<number> {
  const r = await sql`
    update redemptions r set fulfilled_at = ${at}
      from shipping_lines l
     where l.batch_id = ${batchId} and r.id = l.redemption_id and r.fulfilled_at is null`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface ShippedLine {
  batchId: string;
  lineNo: number;
  trackingNumber: string;
  /** Line of the vendor's file, to report lines that match no shipping line. */
  fileLine: number;
}

export interface ShippedLinesResult {
  updated: number;
  unknownFileLines: number[];
  batchIds: string[];
}

/**
 * Applies a chunk of the vendor's shipped file in one statement: sets tracking numbers that are new
 * or changed and fulfils the lines' redemptions once. Re-applying the same rows changes nothing.
 */
export async function applyShippedLines(db: Db, lines: ShippedLine[], at: Date): Promise<ShippedLinesResult> {
  const { rows } = await sql<{ updated: string; unknown: number[] | null; batch_ids: string[] | null }>`
    with v as (
      select * from unnest(${lines.map((l) => l.batchId)}::bigint[], ${lines.map((l) => l.lineNo)}::int[],
                           ${lines.map((l) => l.trackingNumber)}::text[], ${lines.map((l) => l.fileLine)}::int[])
             as v(batch_id, line_no, tracking, file_line)
    ), hit as (
      select l.redemption_id, l.batch_id, v.tracking, v.file_line,
             l.tracking_number is distinct from v.tracking as changed
        from v join shipping_lines l on l.batch_id = v.batch_id and l.line_no = v.line_no
    ), upd as (
      update shipping_lines l set tracking_number = hit.tracking
        from hit where l.redemption_id = hit.redemption_id and hit.changed
      returning l.redemption_id
    ), ful as (
      update redemptions r set fulfilled_at = ${at}
        from hit where r.id = hit.redemption_id and r.fulfilled_at is null
      returning r.id
    )
    select (select count(*) from upd)::text as updated,
           (select array_agg(distinct batch_id::text) from hit) as batch_ids,
           (select array_agg(v.file_line order by v.file_line) from v
             where not exists (select 1 from hit where hit.file_line = v.file_line)) as unknown`.execute(db);
  const row = rows[0]!;
  return { updated: Number(row.updated), unknownFileLines: row.unknown ?? [], batchIds: row.batch_ids ?? [] };
}

/** Unshipped batches among `batchIds` whose every line has a tracking number. */
export async function findFullyTrackedBatches(db: Db, batchIds: string[]): Promise<string[]> {
  if (batchIds.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    select b.id from shipping_batches b
     where b.id = any(${batchIds}::bigint[]) and b.shipped_at is null
       and not exists (select 1 from shipping_lines l where l.batch_id = b.id and l.tracking_number is null)
     order by b.id`.execute(db);
  return rows.map((r) => r.id);
}
