import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { CampaignRow, CampaignState } from './campaign.table.js';

/** SQL of the console's campaign pages (the definition itself is saved by campaign.repo). */

export type CampaignListRow = Pick<
  CampaignRow,
  'id' | 'slug' | 'company_name' | 'state' | 'deadline_at' | 'purge_deadline_at'
>;

export async function listCampaignsForOps(db: Db): Promise<CampaignListRow[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'slug', 'company_name', 'state', 'deadline_at', 'purge_deadline_at'])
    .orderBy('id', 'desc')
    .execute();
}

/** The row, locked until the transaction ends: an edit never interleaves with another. */
export async function lockCampaign(db: Db, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Serialises creations of one slug until the transaction ends, so that two operators creating the
 * same slug at once cannot both pass the "not taken" check (the save itself upserts by slug).
 */
export async function lockSlug(db: Db, slug: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('owabi:campaign-slug'), hashtext(${slug}))`.execute(db);
}

/** Sets the state by hand; closing stamps closed_at, reopening clears it. Never touches purged campaigns. */
export async function setCampaignState(db: Db, id: string, state: CampaignState, at: Date): Promise<void> {
  await db
    .updateTable('campaigns')
    .set((eb) => ({
      state,
      closed_at: state === 'closed' ? eb.fn.coalesce('closed_at', eb.val(at)) : null,
    }))
    .where('id', '=', id)
    .where('state', '<>', 'purged')
    .execute();
}

/** Of the given leaked-item keys, those some customer of the campaign has (only run when keys are removed). */
export async function leakedItemKeysInUse(db: Db, campaignId: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ key: string }>`
    select k.key from unnest(${keys}::text[]) as k(key)
     where exists (select 1 from customers c
                    where c.campaign_id = ${campaignId} and c.leaked_items @> array[k.key])`.execute(db);
  return rows.map((r) => r.key);
}

/** Of the given e-money brands, those with pool codes or redemptions in the campaign. */
export async function brandsInUse(db: Db, campaignId: string, brands: string[]): Promise<string[]> {
  if (brands.length === 0) return [];
  const { rows } = await sql<{ brand: string }>`
    select b.brand from unnest(${brands}::text[]) as b(brand)
     where exists (select 1 from emoney_codes e where e.campaign_id = ${campaignId} and e.brand = b.brand)
        or exists (select 1 from redemptions r where r.campaign_id = ${campaignId} and r.brand = b.brand)`.execute(
    db,
  );
  return rows.map((r) => r.brand);
}
