import type { Db } from '../platform/database.js';
import type { CampaignDefinition } from './campaign.schema.js';
import type { CampaignRow } from './campaign.table.js';

export async function findCampaignBySlug(db: Db, slug: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findCampaignById(db: Db, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPublicCampaigns(
  db: Db,
): Promise<Pick<CampaignRow, 'slug' | 'company_name' | 'state'>[]> {
  return db
    .selectFrom('campaigns')
    .select(['slug', 'company_name', 'state'])
    .where('state', 'in', ['open', 'closed'])
    .orderBy('id')
    .execute();
}

/** Inserts or updates the campaign by slug; returns its id. */
export async function upsertCampaign(
  db: Db,
  def: CampaignDefinition,
  deadlineAt: Date,
  purgeDeadlineAt: Date,
): Promise<string> {
  const row = await db
    .insertInto('campaigns')
    .values({
      slug: def.slug,
      company_name: def.companyName,
      definition: JSON.stringify(def) as unknown as CampaignDefinition,
      deadline_at: deadlineAt,
      purge_deadline_at: purgeDeadlineAt,
    })
    .onConflict((oc) =>
      oc.column('slug').doUpdateSet((eb) => ({
        company_name: eb.ref('excluded.company_name'),
        definition: eb.ref('excluded.definition'),
        deadline_at: eb.ref('excluded.deadline_at'),
        purge_deadline_at: eb.ref('excluded.purge_deadline_at'),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
