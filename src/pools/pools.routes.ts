import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import type { FormRenderer } from '../platform/http/validate.js';
import { campaignFromParam, rerenderRefusals } from '../campaigns/campaign-admin.params.js';
import { STATE_LABELS } from '../campaigns/campaign.messages.js';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { POOL_TEXT } from './pools.messages.js';
import { poolUploadRefusal, uploadPoolFile, type PoolUploadResult } from './pools.service.js';
import { LOW_STOCK_FLOOR, LOW_STOCK_SHARE, poolOverview } from './pools.stock.js';

/** About 4 million codes per file. */
const MAX_POOL_CSV_BYTES = 256 * 1024 * 1024;

/** E-money code pools of a campaign: stock per brand, the low-stock alert, uploads of code files. */
export function poolRoutes(ctx: OpsContext): Router {
  const router = Router();
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/pools\/?$/);
  opsRoute(router, 'get', '/campaigns/:id/pools', 'pools', async (req, res) => {
    const added =
      typeof req.query.added === 'string' && /^\d{1,9}$/.test(req.query.added)
        ? Number(req.query.added)
        : null;
    return renderPoolPage(ctx, req, res, await campaignFromParam(ctx, req), { added });
  });
  uploadRoute(router, ctx);
  return router;
}

async function renderPoolPage(
  ctx: OpsContext,
  req: Request,
  res: Response,
  campaign: CampaignRow,
  extra: { message?: string | null; result?: PoolUploadResult | null; added?: number | null } = {},
  status = 200,
) {
  const { stock, alert } = await poolOverview(ctx.deps, campaign);
  renderOps(
    ctx,
    req,
    res,
    'campaigns/pools',
    {
      campaign,
      stateLabels: STATE_LABELS,
      stock,
      alert,
      refusal: poolUploadRefusal(campaign),
      rule: { floor: LOW_STOCK_FLOOR, percent: LOW_STOCK_SHARE * 100 },
      amountYen: campaign.definition.options.emoney?.amountYen ?? null,
      message: null,
      result: null,
      added: null,
      errors: {},
      ...extra,
    },
    status,
  );
}

/** All or nothing: a file with errors is refused with its lines listed, and nothing is stored. */
function uploadRoute(router: Router, ctx: OpsContext): void {
  // The page shows a refusal above the form only (it has no field messages).
  const refused: FormRenderer = async (req, res, failure) =>
    renderPoolPage(
      ctx,
      req,
      res,
      await campaignFromParam(ctx, req),
      { message: failure.message },
      failure.status,
    );
  opsRoute(
    router,
    'post',
    '/campaigns/:id/pools',
    'pools',
    fileUpload('file', MAX_POOL_CSV_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      try {
        const campaign = await campaignFromParam(ctx, req);
        const input = { campaign, staffId: req.staff!.id, upload: storedUpload(req) };
        const result = await uploadPoolFile(ctx.deps, input);
        if (!result.accepted) {
          const locals = { message: POOL_TEXT.fileRefused(result.errorCount), result };
          return await renderPoolPage(ctx, req, res, campaign, locals, 400);
        }
        const total = Object.values(result.inserted).reduce((a, b) => a + b, 0);
        res.redirect(303, `/ops/campaigns/${campaign.id}/pools?added=${total}`);
      } finally {
        await removeUpload(req);
      }
    },
    rerenderRefusals(['validation', 'conflict'], refused),
  );
}
