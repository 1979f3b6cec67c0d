import type { ErrorRequestHandler, Request, Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { notFound, type AppError } from '../platform/errors.js';
import { rerenderOn, type FormRenderer } from '../platform/http/validate.js';
import type { Keyer } from './postcard-apply.service.js';
import { DATA_LABELS, decodeDataTicks, GIFT_LABELS, type GiftTick } from './postcard.rules.js';
import { isId } from './postcard.schema.js';
import { findSavedEntry, getBatchView } from './postcard.service.js';
import type { PostcardOutcome } from './postcard.table.js';

/** What the postcard pages share: labels, routing, refusals, the batch entry screen. */

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

/**
 * rerenderOn for these refusals only, recognised by their factory (postcard.errors.ts), not by
 * code: a 'forbidden' from the permission check before the handler must still reach the error page.
 */
export function rerenderOnRefusal(
  refusals: readonly { is(err: unknown): err is AppError }[],
  rerender: FormRenderer,
): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (!refusals.some((r) => r.is(err))) return next(err);
    return rerenderOn([(err as AppError).code], rerender)(err, req, res, next);
  };
}

export const keyerOf = (req: Request, now: () => Date): Keyer => ({ staffId: req.staff!.id, now: now() });

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
  const saved = isId(savedId) ? await findSavedEntry(ctx.deps.db, batchId, savedId) : null;
  renderOps(
    ctx,
    req,
    res,
    'postcards/batch',
    {
      ...pageLocals,
      view,
      saved,
      errors: {},
      message: null,
      form: {},
      ...extra,
    },
    status,
  );
}

/** The entry screen again, with the message (and field messages) of a refused form. */
export const batchForm =
  (ctx: OpsContext): FormRenderer =>
  (req, res, failure) =>
    renderBatch(
      ctx,
      req,
      res,
      batchIdOf(req),
      { message: failure.message, errors: failure.fields },
      failure.status,
    );
