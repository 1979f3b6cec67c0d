import { Router, type Request, type Response } from 'express';
import type { Campaign } from '../campaigns/campaign.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { isAppError, notFound } from '../platform/errors.js';
import { findEntry } from './postcard-entry.repo.js';
import { getFollowupQueue, resolveFollowup } from './postcard-followup.service.js';
import { NOTICE_PAGE } from './postcard.messages.js';
import { getNoticeQueue, markNoticeSent } from './postcard-notice.service.js';
import { campaignBySlug, describeReading, pageLocals } from './postcard.pages.js';
import { fieldErrors, isId, ResolveSchema } from './postcard.schema.js';
import { loadCampaign } from './postcard.service.js';

/**
 * The follow-up area of a campaign: invalid and mismatched cards, each resolved with a note, and
 * the notices to post for late and duplicate cards, each marked done.
 */
export function postcardFollowupRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const page = async (
    req: Request,
    res: Response,
    campaign: Campaign,
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'postcards/followup',
      {
        ...pageLocals,
        campaign,
        queue: await getFollowupQueue(db, campaign.id),
        notices: await getNoticeQueue(db, campaign),
        noticePage: NOTICE_PAGE,
        describeReading,
        errors: {},
        message: null,
        failedId: null,
        ...extra,
      },
      status,
    );

  opsRoute(router, 'get', '/postcards/c/:slug/followup', 'postcards', async (req, res) => {
    await page(req, res, await campaignBySlug(ctx, req.params.slug));
  });

  opsRoute(router, 'post', '/postcards/followup/:id/resolve', 'postcards', async (req, res) => {
    const id = req.params.id;
    const entry = isId(id) ? await findEntry(db, id) : undefined;
    if (!entry) throw notFound('はがき');
    const campaign = await loadCampaign(db, entry.campaign_id);
    const parsed = ResolveSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return page(
        req,
        res,
        campaign,
        {
          errors: fieldErrors(parsed.error.issues),
          message: '入力内容をご確認ください。',
          failedId: entry.id,
        },
        400,
      );
    try {
      await db
        .transaction()
        .execute((trx) =>
          resolveFollowup(trx, entry.id, parsed.data, { staffId: req.staff!.id, now: now() }),
        );
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      return page(req, res, campaign, { message: err.publicMessage, failedId: entry.id }, err.status);
    }
    res.redirect(303, `/ops/postcards/c/${campaign.slug}/followup`);
  });

  opsRoute(router, 'post', '/postcards/notices/:id/done', 'postcards', async (req, res) => {
    const id = req.params.id;
    const entry = isId(id) ? await findEntry(db, id) : undefined;
    if (!entry) throw notFound('はがき');
    const campaign = await loadCampaign(db, entry.campaign_id);
    try {
      await db
        .transaction()
        .execute((trx) => markNoticeSent(trx, entry.id, { staffId: req.staff!.id, now: now() }));
    } catch (err) {
      if (!isAppError(err) || err.status >= 500) throw err;
      return page(req, res, campaign, { message: err.publicMessage, failedId: entry.id }, err.status);
    }
    res.redirect(303, `/ops/postcards/c/${campaign.slug}/followup#notices`);
  });

  return router;
}
