import type { Request, Response } from 'express';
import { findCampaignBySlug } from '../campaigns/campaign.repo.js';
import { toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { notFound } from '../platform/errors.js';
import { findEntry } from './postcard-entry.repo.js';
import { DATA_LABELS, decodeDataTicks, GIFT_LABELS, type GiftTick } from './postcard.rules.js';
import { isId } from './postcard.schema.js';
import { getBatchView } from './postcard.service.js';
import type { PostcardOutcome } from './postcard.table.js';

/** What the postcard pages share: labels, the campaign by slug, the batch entry screen. */

export const OUTCOME_LABELS: Record<PostcardOutcome, string> = {
  accepted: '受付',
  duplicate: '重複（先のお手続きが有効）',
  late: '期限後',
  invalid: '無効（要確認）',
  pending_verification: '照合待ち',
  mismatch: '不一致（要確認）',
};

/** How a stored reading reads on screen: "図書カード / DM・営業の停止 / 2026-11-20". */
export function describeReading(
  gifts: string[] | null,
  data: string | null,
  postmark: string | null,
): string {
  const g = (gifts ?? []).map((t) => GIFT_LABELS[t as GiftTick] ?? t).join('＋') || '品の印なし';
  const d = decodeDataTicks(data)
    .map((t) => DATA_LABELS[t])
    .join('＋');
  return [g, d || '取扱いの印なし', postmark ?? '消印日なし'].join(' / ');
}

export const pageLocals = { outcomeLabels: OUTCOME_LABELS, giftLabels: GIFT_LABELS, dataLabels: DATA_LABELS };

/** Campaigns that take postcards: open, or closed (cards postmarked in time still arrive). */
export async function campaignBySlug(ctx: OpsContext, slug: unknown): Promise<Campaign> {
  const row = typeof slug === 'string' ? await findCampaignBySlug(ctx.deps.db, slug) : undefined;
  if (!row || (row.state !== 'open' && row.state !== 'closed')) throw notFound('キャンペーン');
  return toCampaign(row);
}

export function batchIdOf(req: Request): string {
  const id = req.params.id;
  if (!isId(id)) throw notFound('束');
  return id;
}

/** The entry screen: the batch, the result of the card just saved, the form for the next one. */
export async function renderBatch(
  ctx: OpsContext,
  req: Request,
  res: Response,
  batchId: string,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<void> {
  const view = await getBatchView(ctx.deps.db, batchId, req.staff!.id);
  const savedId = req.query.saved;
  const saved = isId(savedId) ? await findEntry(ctx.deps.db, savedId) : undefined;
  renderOps(
    ctx,
    req,
    res,
    'postcards/batch',
    {
      ...pageLocals,
      view,
      saved: saved && saved.batch_id === batchId ? saved : null,
      errors: {},
      message: null,
      form: {},
      ...extra,
    },
    status,
  );
}
