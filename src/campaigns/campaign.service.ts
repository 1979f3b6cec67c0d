import type { Db } from '../platform/database.js';
import { findCampaignBySlug, upsertCampaign } from './campaign.repo.js';
import { CampaignDefinitionSchema, endOfDayJst, type CampaignDefinition } from './campaign.schema.js';
import type { CampaignRow } from './campaign.table.js';
import { CampaignNotFound, DefinitionInvalid, PurgeNotAfterDeadline } from './campaign.errors.js';

export interface Campaign {
  id: string;
  slug: string;
  state: CampaignRow['state'];
  deadlineAt: Date;
  purgeDeadlineAt: Date;
  def: CampaignDefinition;
}

export const toCampaign = (row: CampaignRow): Campaign => ({
  id: row.id,
  slug: row.slug,
  state: row.state,
  deadlineAt: row.deadline_at,
  purgeDeadlineAt: row.purge_deadline_at,
  def: row.definition,
});

/** Open for customers: state open and the procedure deadline not yet passed. */
export function isAcceptingRedemptions(c: Campaign, now: Date): boolean {
  return c.state === 'open' && now.getTime() <= c.deadlineAt.getTime();
}

export async function getPublicCampaign(db: Db, slug: string): Promise<Campaign> {
  const row = await findCampaignBySlug(db, slug);
  if (!row || row.state === 'draft' || row.state === 'purged') throw CampaignNotFound();
  return toCampaign(row);
}

/** Validates a campaign definition (from a file or the console) and stores it. */
export async function saveCampaignDefinition(db: Db, input: unknown): Promise<Campaign> {
  const parsed = CampaignDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
    throw DefinitionInvalid(fields);
  }
  const def = parsed.data;
  const deadlineAt = endOfDayJst(def.deadline);
  const purgeAt = endOfDayJst(def.purgeDeadline);
  if (purgeAt <= deadlineAt) throw PurgeNotAfterDeadline();
  await upsertCampaign(db, def, deadlineAt, purgeAt);
  const row = await findCampaignBySlug(db, def.slug);
  return toCampaign(row!);
}
