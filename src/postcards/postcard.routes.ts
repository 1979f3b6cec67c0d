import { Router, type Request, type Response } from 'express';
import type { Campaign } from '../campaigns/campaign.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { openBatch } from './postcard-batch.service.js';
import { postcardEntryRoutes } from './postcard-entry.routes.js';
import { postcardFollowupRoutes } from './postcard-followup.routes.js';
import { postcardUploadRoutes } from './postcard-upload.routes.js';
import { NOTICE_PAGE } from './postcard.messages.js';
import { pageLocals } from './postcard.pages.js';
import { MAX_PHYSICAL_COUNT, OpenBatchSchema } from './postcard.schema.js';
import { getCampaignOverview, listPostcardCampaigns, postcardCampaignBySlug } from './postcard.service.js';

/** A campaign's page: its batches, the form to open one, links to the follow-up queues. */
async function renderCampaignPage(
  ctx: OpsContext,
  req: Request,
  res: Response,
  campaign: Campaign,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<void> {
  const overview = await getCampaignOverview(ctx.deps.db, campaign.id);
  renderOps(
    ctx,
    req,
    res,
    'postcards/campaign',
    {
      ...pageLocals,
      campaign,
      ...overview,
      noticePage: NOTICE_PAGE,
      maxCount: MAX_PHYSICAL_COUNT,
      errors: {},
      message: null,
      form: {},
      ...extra,
    },
    status,
  );
}

/** The campaigns that take postcards, and each campaign's page. */
function campaignPages(ctx: OpsContext, router: Router): void {
  const { db } = ctx.deps;
  opsRoute(router, 'get', '/postcards', 'postcards', async (req, res) => {
    renderOps(ctx, req, res, 'postcards/index', { campaigns: await listPostcardCampaigns(db) });
  });
  opsRoute(router, 'get', '/postcards/c/:slug', 'postcards', async (req, res) => {
    await renderCampaignPage(ctx, req, res, await postcardCampaignBySlug(db, req.params.slug));
  });
}

/** Opening a batch (a tray of cards) on the campaign's page. */
function openBatchForm(ctx: OpsContext, router: Router): void {
  const { db, now } = ctx.deps;
  const openForm: FormRenderer = async (req, res, failure) =>
    renderCampaignPage(
      ctx,
      req,
      res,
      await postcardCampaignBySlug(db, req.params.slug),
      { errors: failure.fields, message: failure.message, form: req.body ?? {} },
      failure.status,
    );
  opsRoute(
    router,
    'post',
    '/postcards/c/:slug/batches',
    'postcards',
    validate(OpenBatchSchema, openForm),
    async (req, res) => {
      const campaign = await postcardCampaignBySlug(db, req.params.slug);
      const id = await openBatch(db, campaign, req.staff!.id, validated(res, OpenBatchSchema), now());
      res.redirect(303, `/ops/postcards/batches/${id}`);
    },
  );
}

/**
 * Postcards (SPEC §4), below /ops/postcards: campaigns → batches → the entry screen, the OCR
 * upload and the follow-up queue. Everything needs the 'postcards' permission.
 */
export function postcardRoutes(ctx: OpsContext): Router {
  const router = Router();
  campaignPages(ctx, router);
  openBatchForm(ctx, router);
  router.use(postcardEntryRoutes(ctx));
  router.use(postcardUploadRoutes(ctx));
  router.use(postcardFollowupRoutes(ctx));
  return router;
}
