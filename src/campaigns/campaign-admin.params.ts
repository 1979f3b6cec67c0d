import type { Request } from 'express';
import type { OpsContext } from '../operators/ops.context.js';
import { notFound } from '../platform/errors.js';
import { findCampaignById } from './campaign.repo.js';
import type { CampaignRow } from './campaign.table.js';

/** Path ids are bigint digits; anything else names nothing (404, never a database error). */
export const isId = (v: unknown): v is string => typeof v === 'string' && /^\d{1,18}$/.test(v);

/** The campaign named by `:id`, or 404. */
export async function campaignFromParam(ctx: OpsContext, req: Request): Promise<CampaignRow> {
  const id = req.params.id;
  const row = isId(id) ? await findCampaignById(ctx.deps.db, id) : undefined;
  if (!row) throw notFound('キャンペーン');
  return row;
}
