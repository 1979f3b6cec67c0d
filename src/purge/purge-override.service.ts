import { recordAudit } from '../audit/audit.service.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { Role } from '../operators/staff.table.js';
import type { Db } from '../platform/database.js';
import { validationError } from '../platform/errors.js';
import { insertOverride, listUndeliveredGifts } from './purge-gifts.repo.js';
import { countByKind } from './purge.guard.js';
import { CampaignAlreadyPurged, NothingToOverride, OverrideForbidden } from './purge.errors.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';

export const OVERRIDE_REASON_MIN = 10;
export const OVERRIDE_REASON_MAX = 2_000;
const MAY_OVERRIDE: readonly Role[] = ['supervisor', 'admin'];

export interface OverrideRequest {
  campaignId: string;
  staff: { id: string; role: Role };
  reason: string;
  confirmed: boolean;
  at: Date;
}

/**
 * A supervisor's (or administrator's) documented decision that the campaign may be purged
 * although gifts are undelivered: who, when, why, and exactly which gifts (by redemption number).
 * Runs in the caller's transaction, with its audit entry; a refused request writes nothing.
 */
export async function recordPurgeOverride(
  trx: Db,
  req: OverrideRequest,
): Promise<{ id: string; count: number }> {
  if (!MAY_OVERRIDE.includes(req.staff.role)) throw OverrideForbidden();
  const reason = req.reason.replace(/\r\n?/g, '\n').trim();
  const fields: Record<string, string> = {};
  if ([...reason].length < OVERRIDE_REASON_MIN)
    fields.reason = M.overrideForm.reasonRequired(OVERRIDE_REASON_MIN);
  else if ([...reason].length > OVERRIDE_REASON_MAX)
    fields.reason = M.overrideForm.reasonTooLong(OVERRIDE_REASON_MAX);
  if (!req.confirmed) fields.confirm = M.overrideForm.confirmRequired;
  if (Object.keys(fields).length > 0) throw validationError(fields);

  const campaign = await findCampaignById(trx, req.campaignId);
  if (!campaign) throw CampaignNotFound();
  if (campaign.state === 'purged') throw CampaignAlreadyPurged();
  const gifts = await listUndeliveredGifts(trx, campaign.id);
  if (gifts.length === 0) throw NothingToOverride();

  const redemptionIds = gifts.map((g) => g.redemptionId);
  const id = await insertOverride(trx, {
    campaignId: campaign.id,
    staffId: req.staff.id,
    reason,
    redemptionIds,
    at: req.at,
  });
  await recordAudit(
    trx,
    {
      staffId: req.staff.id,
      action: 'purge.override',
      targetType: 'campaign',
      targetId: campaign.id,
      campaignId: campaign.id,
      reason,
      details: { slug: campaign.slug, overrideId: id, undelivered: countByKind(gifts), total: gifts.length },
    },
    req.at,
  );
  return { id, count: gifts.length };
}

/** The console's form: the override and its audit entry in one transaction of their own. */
export async function recordPurgeOverrideAtomically(
  db: Db,
  req: OverrideRequest,
): Promise<{ id: string; count: number }> {
  return db.transaction().execute((trx) => recordPurgeOverride(trx, req));
}
