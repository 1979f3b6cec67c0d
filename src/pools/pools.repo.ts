import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { CampaignDefinition } from '../campaigns/campaign.schema.js';
import type { PoolRow } from './pools.csv.js';

/**
 * SQL of the e-money code pools. An upload is checked in a temporary staging table inside the
 * upload's transaction (duplicates within the file and against every stored code), then copied in.
 */

export async function lockPoolUploads(db: Db, campaignId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('owabi:pool-upload'), ${campaignId}::int)`.execute(db);
}

export async function createPoolStaging(db: Db): Promise<void> {
  await sql`create temporary table pool_stage (line integer not null, brand text not null, code text not null)
            on commit drop`.execute(db);
}

export async function stageRows(db: Db, rows: PoolRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into pool_stage (line, brand, code)
            select * from unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.brand)}::text[],
                                 ${rows.map((r) => r.code)}::text[])`.execute(db);
}

/** Lines repeating an earlier line's brand and code, with the earlier line. */
export async function duplicatesInFile(db: Db, limit: number): Promise<{ line: number; first: number }[]> {
  const { rows } = await sql<{ line: number; first: number }>`
    select line, first from (
      select line, min(line) over (partition by brand, code) as first from pool_stage) d
     where line <> first order by line limit ${limit}`.execute(db);
  return rows;
}

export async function countDuplicatesInFile(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) - count(distinct (brand, code)) as n from pool_stage`.execute(db);
  return Number(rows[0]!.n);
}

/** Lines whose brand and code are already stored (in any campaign: codes are unique per brand). */
export async function duplicatesInDb(db: Db, limit: number): Promise<{ lines: number[]; count: number }> {
  const { rows } = await sql<{ line: number; n: string }>`
    select s.line, count(*) over () as n from pool_stage s
     where exists (select 1 from emoney_codes e where e.brand = s.brand and e.code = s.code)
     order by s.line limit ${limit}`.execute(db);
  return { lines: rows.map((r) => r.line), count: Number(rows[0]?.n ?? 0) };
}

/** Copies the staged codes in; returns how many were inserted per brand. */
export async function insertStagedCodes(
  db: Db,
  campaignId: string,
  amountYen: number,
): Promise<Record<string, number>> {
  const { rows } = await sql<{ brand: string; n: string }>`
    with inserted as (
      insert into emoney_codes (campaign_id, brand, code, amount_yen)
      select ${campaignId}, brand, code, ${amountYen} from pool_stage order by line
      on conflict (brand, code) do nothing
      returning brand)
    select brand, count(*) as n from inserted group by brand`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.brand, Number(r.n)]));
}

export interface BrandStock {
  brand: string;
  free: number;
  allocated: number;
}

export async function stockByBrand(db: Db, campaignId: string): Promise<BrandStock[]> {
  const rows = await db
    .selectFrom('emoney_codes')
    .select([
      'brand',
      sql<string>`count(*) filter (where redemption_id is null)`.as('free'),
      sql<string>`count(*) filter (where redemption_id is not null)`.as('allocated'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy('brand')
    .execute();
  return rows.map((r) => ({ brand: r.brand, free: Number(r.free), allocated: Number(r.allocated) }));
}

/** Open campaigns that give e-money from a pool (the ones whose stock can run out). */
export async function listOpenPoolCampaigns(
  db: Db,
  campaignId?: string,
): Promise<{ id: string; slug: string; definition: CampaignDefinition }[]> {
  let q = db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'definition'])
    .where('state', '=', 'open')
    .where(sql<boolean>`definition->'options'->'emoney'->>'source' = 'pool'`);
  if (campaignId) q = q.where('id', '=', campaignId);
  return q.orderBy('id').execute();
}
