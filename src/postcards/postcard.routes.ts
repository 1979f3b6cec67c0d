import { Router, type Request, type Response } from 'express';
import { listPublicCampaigns } from '../campaigns/campaign.repo.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { countFollowups } from './postcard-followup.repo.js';
import { countNotices } from './postcard-notice.repo.js';
import { NOTICE_PAGE } from './postcard.messages.js';
import { postcardEntryRoutes } from './postcard-entry.routes.js';
import { postcardFollowupRoutes } from './postcard-followup.routes.js';
import { postcardUploadRoutes } from './postcard-upload.routes.js';
import { campaignBySlug, pageLocals } from './postcard.pages.js';
import { listBatches } from './postcard.repo.js';
import { fieldErrors, MAX_PHYSICAL_COUNT, OpenBatchSchema } from './postcard.schema.js';
import { openBatch } from './postcard.service.js';

/**
 * Postcards (SPEC §4), below /ops/postcards: campaigns → batches → the entry screen, the OCR
 * upload and the follow-up queue. Everything needs the 'postcards' permission.
 */
export function postcardRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const campaignPage = async (
    req: Request,
    res: Response,
    campaign: Campaign,
    extra: Record<string, unknown> = {},
    status = 200,
  ) => {
    const [batches, followups, notices] = await Promise.all([
      listBatches(db, campaign.id),
      countFollowups(db, campaign.id),
      countNotices(db, campaign.id),
    ]);
    renderOps(
      ctx,
      req,
      res,
      'postcards/campaign',
      {
        ...pageLocals,
        campaign,
        batches,
        followups,
        notices,
        noticePage: NOTICE_PAGE,
        maxCount: MAX_PHYSICAL_COUNT,
        errors: {},
        message: null,
        form: {},
        ...extra,
      },
      status,
    );
  };

  opsRoute(router, 'get', '/postcards', 'postcards', async (req, res) => {
    renderOps(ctx, req, res, 'postcards/index', { campaigns: await listPublicCampaigns(db) });
  });

  opsRoute(router, 'get', '/postcards/c/:slug', 'postcards', async (req, res) => {
    await campaignPage(req, res, await campaignBySlug(ctx, req.params.slug));
  });

  opsRoute(router, 'post', '/postcards/c/:slug/batches', 'postcards', async (req, res) => {
    const campaign = await campaignBySlug(ctx, req.params.slug);
    const parsed = OpenBatchSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return campaignPage(
        req,
        res,
        campaign,
        {
          errors: fieldErrors(parsed.error.issues),
          message: '入力内容をご確認ください。',
          form: req.body ?? {},
        },
        400,
      );
    const id = await db
      .transaction()
      .execute((trx) => openBatch(trx, campaign, req.staff!.id, parsed.data, now()));
    res.redirect(303, `/ops/postcards/batches/${id}`);
  });

  router.use(postcardEntryRoutes(ctx));
  router.use(postcardUploadRoutes(ctx));
  router.use(postcardFollowupRoutes(ctx));
  return router;
}
