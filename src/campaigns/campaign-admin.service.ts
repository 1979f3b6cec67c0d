import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../platform/database.js';
import type { EditableState } from './campaign-admin.fields.js';
import {
  changeWarnings,
  type ChangeCheck,
  unconfirmed,
  type ChangeWarning,
  type Confirmations,
} from './campaign-admin.safety.js';
import {
  brandsInUse,
  leakedItemKeysInUse,
  listCampaignsForOps,
  lockCampaign,
  lockSlug,
  setCampaignState,
  type CampaignListRow,
} from './campaign-admin.repo.js';
import { CampaignNotFound, CampaignPurged, KeysInUse, SlugTaken } from './campaign.errors.js';
import { CAMPAIGN_TEXT } from './campaign.messages.js';
import { findCampaignById, findCampaignBySlug } from './campaign.repo.js';
import type { CampaignDefinition } from './campaign.schema.js';
import { saveCampaignDefinition, type Campaign } from './campaign.service.js';
import type { CampaignRow } from './campaign.table.js';

/**
 * Creating and editing campaigns from the console. Each save is one transaction: the definition,
 * the state and the audit entries commit together, and a rejected edit writes nothing. Customer
 * pages read campaigns through a 5-second cache, so a change shows within seconds.
 */
export interface CampaignChange {
  staffId: string;
  definition: CampaignDefinition;
  state: EditableState;
  at: Date;
  /** The ticked confirmation checkboxes (see campaign-admin.safety). */
  confirmations: Confirmations;
  /** Warnings other domains raise about this change (wired by the composition root). */
  checks: readonly ChangeCheck[];
}

/** Saved, or not saved because a warning still needs the operator's confirmation. */
export type SaveResult = { saved: Campaign } | { confirm: ChangeWarning[] };

/** The console's list, newest first. */
export const listCampaigns = (db: Db): Promise<CampaignListRow[]> => listCampaignsForOps(db);

/** The campaign of a console page, in any state; CampaignNotFound when there is none. */
export async function campaignForOps(db: Db, id: string): Promise<CampaignRow> {
  const row = await findCampaignById(db, id);
  if (!row) throw CampaignNotFound();
  return row;
}

export async function createCampaign(db: Db, change: CampaignChange): Promise<SaveResult> {
  return db.transaction().execute((trx) => createInTransaction(trx, change));
}

/** The slug never changes (it is in every letter's URL); keys still in use cannot be removed. */
export async function updateCampaign(
  db: Db,
  campaignId: string,
  change: CampaignChange,
): Promise<SaveResult> {
  return db.transaction().execute((trx) => updateInTransaction(trx, campaignId, change));
}

async function createInTransaction(trx: Db, change: CampaignChange): Promise<SaveResult> {
  const { slug } = change.definition;
  await lockSlug(trx, slug);
  if (await findCampaignBySlug(trx, slug)) throw SlugTaken(slug);
  const warnings = await changeWarnings(trx, { ...change, before: undefined, now: change.at }, change.checks);
  if (unconfirmed(warnings, change.confirmations).length > 0) return { confirm: warnings };
  const campaign = await saveCampaignDefinition(trx, change.definition);
  await setCampaignState(trx, campaign.id, change.state, change.at);
  await recordAudit(
    trx,
    {
      staffId: change.staffId,
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: campaign.id,
      campaignId: campaign.id,
      details: { slug, state: change.state },
    },
    change.at,
  );
  await auditConfirmed(trx, change, campaign.id, warnings);
  return { saved: { ...campaign, state: change.state } };
}

async function updateInTransaction(trx: Db, campaignId: string, change: CampaignChange): Promise<SaveResult> {
  const row = await lockCampaign(trx, campaignId);
  if (!row) throw CampaignNotFound();
  if (row.state === 'purged') throw CampaignPurged();
  const before = row.definition;
  const definition = { ...change.definition, slug: row.slug };
  await refuseRemovingKeysInUse(trx, campaignId, before, definition);
  const warnings = await changeWarnings(
    trx,
    { ...change, definition, before: row, now: change.at },
    change.checks,
  );
  if (unconfirmed(warnings, change.confirmations).length > 0) return { confirm: warnings };
  const campaign = await saveCampaignDefinition(trx, definition);
  if (change.state !== row.state) await setCampaignState(trx, campaignId, change.state, change.at);
  const changed = (Object.keys(definition) as (keyof CampaignDefinition)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(campaign.def[k]),
  );
  await recordAudit(
    trx,
    {
      staffId: change.staffId,
      action: 'campaign.update',
      targetType: 'campaign',
      targetId: campaignId,
      campaignId,
      details: { slug: row.slug, changed, stateFrom: row.state, stateTo: change.state },
    },
    change.at,
  );
  await auditConfirmed(trx, change, campaignId, warnings);
  return { saved: { ...campaign, state: change.state } };
}

/** One entry per warning the operator confirmed, next to the change itself. */
async function auditConfirmed(
  trx: Db,
  change: CampaignChange,
  campaignId: string,
  warnings: ChangeWarning[],
): Promise<void> {
  for (const w of warnings) {
    await recordAudit(
      trx,
      {
        staffId: change.staffId,
        action:
          w.field === 'confirmPurge' ? 'campaign.purge_soon_confirmed' : 'campaign.past_deadline_confirmed',
        targetType: 'campaign',
        targetId: campaignId,
        campaignId,
        details: { slug: change.definition.slug, ...w.audit },
      },
      change.at,
    );
  }
}

async function refuseRemovingKeysInUse(
  trx: Db,
  campaignId: string,
  before: CampaignDefinition,
  after: CampaignDefinition,
): Promise<void> {
  const removed = <T extends { key: string }>(a: T[], b: T[]) =>
    a.map((x) => x.key).filter((k) => !b.some((y) => y.key === k));
  const labelsOf = (list: { key: string; label: string }[], keys: string[]) =>
    keys.map((k) => `「${list.find((x) => x.key === k)?.label ?? k}」`).join('');
  const fields: Record<string, string> = {};
  const items = await leakedItemKeysInUse(trx, campaignId, removed(before.leakedItems, after.leakedItems));
  if (items.length > 0) {
    fields.leakedItems = CAMPAIGN_TEXT.leakedItemsInUse(labelsOf(before.leakedItems, items));
  }
  const beforeBrands = before.options.emoney?.brands ?? [];
  const brands = await brandsInUse(
    trx,
    campaignId,
    removed(beforeBrands, after.options.emoney?.brands ?? []),
  );
  if (brands.length > 0) {
    const field = after.options.emoney ? 'options.emoney.brands' : 'options.emoney';
    fields[field] = CAMPAIGN_TEXT.brandsInUse(labelsOf(beforeBrands, brands));
  }
  if (Object.keys(fields).length > 0) throw KeysInUse(fields);
}
