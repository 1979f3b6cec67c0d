import { Router, type Request, type Response } from 'express';
import type { Campaign } from '../campaigns/campaign.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { notFound } from '../platform/errors.js';
import { validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { getFollowupQueue, resolveFollowup } from './postcard-followup.service.js';
import { getNoticeQueue, markNoticeSent } from './postcard-notice.service.js';
import { FOLLOWUP_REFUSALS } from './postcard.errors.js';
import { NOTICE_PAGE } from './postcard.messages.js';
import { describeReading, keyerOf, pageLocals, rerenderOnRefusal } from './postcard.pages.js';
import { isId, ResolveSchema } from './postcard.schema.js';
import { getEntryWithCampaign, postcardCampaignBySlug } from './postcard.service.js';

/**
 * The follow-up area of a campaign: invalid and mismatched cards, each resolved with a note, and
 * the notices to post for late and duplicate cards, each marked done.
 */

async function renderFollowup(
  ctx: OpsContext,
  req: Request,
  res: Response,
  campaign: Campaign,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<void> {
  const { db } = ctx.deps;
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
}

/** The card (entry) named in the path, with its campaign; an id that is no id is not found. */
const entryOf = (ctx: OpsContext, req: Request) => {
  const id = req.params.id;
  if (!isId(id)) throw notFound('はがき');
  return getEntryWithCampaign(ctx.deps.db, id);
};

/** The follow-up page again, the refused card's form marked. */
const followupForm =
  (ctx: OpsContext): FormRenderer =>
  async (req, res, failure) => {
    const { entry, campaign } = await entryOf(ctx, req);
    await renderFollowup(
      ctx,
      req,
      res,
      campaign,
      { errors: failure.fields, message: failure.message, failedId: entry.id },
      failure.status,
    );
  };

export function postcardFollowupRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  opsRoute(router, 'get', '/postcards/c/:slug/followup', 'postcards', async (req, res) => {
    await renderFollowup(ctx, req, res, await postcardCampaignBySlug(db, req.params.slug));
  });

  opsRoute(
    router,
    'post',
    '/postcards/followup/:id/resolve',
    'postcards',
    validate(ResolveSchema, followupForm(ctx)),
    async (req, res) => {
      const { entry, campaign } = await entryOf(ctx, req);
      await resolveFollowup(db, entry.id, validated(res, ResolveSchema), keyerOf(req, now));
      res.redirect(303, `/ops/postcards/c/${campaign.slug}/followup`);
    },
    rerenderOnRefusal(FOLLOWUP_REFUSALS, followupForm(ctx)),
  );

  opsRoute(
    router,
    'post',
    '/postcards/notices/:id/done',
    'postcards',
    async (req, res) => {
      const { entry, campaign } = await entryOf(ctx, req);
      await markNoticeSent(db, entry.id, keyerOf(req, now));
      res.redirect(303, `/ops/postcards/c/${campaign.slug}/followup#notices`);
    },
    rerenderOnRefusal(FOLLOWUP_REFUSALS, followupForm(ctx)),
  );

  return router;
}
