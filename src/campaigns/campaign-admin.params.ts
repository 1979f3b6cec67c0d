import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { OpsContext } from '../operators/ops.context.js';
import { isAppError, type ErrorCode } from '../platform/errors.js';
import { rerenderOn, type FormRenderer } from '../platform/http/validate.js';
import { campaignForOps } from './campaign-admin.service.js';
import { CampaignNotFound } from './campaign.errors.js';
import type { CampaignRow } from './campaign.table.js';

/** Path ids are bigint digits; anything else names nothing (404, never a database error). */
export const isId = (v: unknown): v is string => typeof v === 'string' && /^\d{1,18}$/.test(v);

/** The campaign named by `:id`, or 404. */
export async function campaignFromParam(ctx: OpsContext, req: Request): Promise<CampaignRow> {
  const id = req.params.id;
  if (!isId(id)) throw CampaignNotFound();
  return campaignForOps(ctx.deps.db, id);
}

/**
 * The last step of a console form route: a refusal of one of these codes that names a field of the
 * form shows the page again (rerenderOn); any other error (an upload the parser refused, a purged
 * campaign) goes on to the error page. Express tells an error handler by its four parameters, but
 * opsRoute types its steps as plain handlers, hence the cast (to drop once opsRoute takes both).
 */
export function rerenderRefusals(codes: readonly ErrorCode[], rerender: FormRenderer): RequestHandler {
  const onRefusal = rerenderOn(codes, rerender);
  const step: ErrorRequestHandler = (err, req, res, next) =>
    isAppError(err) && Object.keys(err.fields).length > 0 ? onRefusal(err, req, res, next) : next(err);
  return step as unknown as RequestHandler;
}
