import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../platform/database.js';
import { AppError, notFound } from '../platform/errors.js';
import type { EditableState } from './campaign-admin.form.js';
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
  lockCampaign,
  lockSlug,
  setCampaignState,
} from './campaign-admin.repo.js';
import { findCampaignBySlug } from './campaign.repo.js';
import type { CampaignDefinition } from './campaign.schema.js';
import { saveCampaignDefinition, type Campaign } from './campaign.service.js';

/**
 * Creating and editing campaigns from the console. The caller opens the transaction; the
 * definition, the state and the audit entry commit together, and a rejected edit writes nothing.
 * Customer pages read campaigns through a 5-second cache, so a change shows within seconds.
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

const invalid = (fields: Record<string, string>) =>
  new AppError('validation', '入力内容をご確認ください。', { fields });

export async function createCampaign(trx: Db, change: CampaignChange): Promise<SaveResult> {
  const { slug } = change.definition;
  await lockSlug(trx, slug);
  if (await findCampaignBySlug(trx, slug)) {
    throw new AppError('conflict', '入力内容をご確認ください。', {
      fields: { slug: `スラッグ「${slug}」は既に使われています。別のスラッグを入力してください` },
    });
  }
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

/** The slug never changes (it is in every letter's URL); keys still in use cannot be removed. */
export async function updateCampaign(
  trx: Db,
  campaignId: string,
  change: CampaignChange,
): Promise<SaveResult> {
  const row = await lockCampaign(trx, campaignId);
  if (!row) throw notFound('キャンペーン');
  if (row.state === 'purged') {
    throw new AppError('conflict', '消去済みのキャンペーンは変更できません。');
  }
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
  // Named by their display names (the operator's words), never by their keys.
  const labelsOf = (list: { key: string; label: string }[], keys: string[]) =>
    keys.map((k) => `「${list.find((x) => x.key === k)?.label ?? k}」`).join('');
  const fields: Record<string, string> = {};
  const items = await leakedItemKeysInUse(trx, campaignId, removed(before.leakedItems, after.leakedItems));
  if (items.length > 0) {
    fields.leakedItems = `取り込み済みのお客様の漏えい項目として使われている行は削除できません: ${labelsOf(before.leakedItems, items)}`;
  }
  const beforeBrands = before.options.emoney?.brands ?? [];
  const brands = await brandsInUse(
    trx,
    campaignId,
    removed(beforeBrands, after.options.emoney?.brands ?? []),
  );
  if (brands.length > 0) {
    const field = after.options.emoney ? 'options.emoney.brands' : 'options.emoney';
    fields[field] =
      `コードの在庫か申し込みがある電子マネーの種類は削除できません: ${labelsOf(beforeBrands, brands)}`;
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
}
