import { createReadStream } from 'node:fs';
import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { isAppError } from '../platform/errors.js';
import { campaignFromParam } from '../campaigns/campaign-admin.params.js';
import { STATE_LABELS } from '../campaigns/campaign-admin.form.js';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { findOpenAlert } from '../alerts/alert.repo.js';
import { poolUploadRefusal, uploadPoolCodes, type PoolUploadResult } from './pools.service.js';
import {
  checkPoolStock,
  LOW_STOCK_FLOOR,
  LOW_STOCK_KIND,
  LOW_STOCK_SHARE,
  poolStock,
} from './pools.stock.js';

/** About 4 million codes per file. */
const MAX_POOL_CSV_BYTES = 256 * 1024 * 1024;

/** E-money code pools of a campaign: stock per brand, the low-stock alert, uploads of code files. */
export function poolRoutes(ctx: OpsContext): Router {
  const router = Router();
  checkCsrfAfterUpload(/^\/ops\/campaigns\/\d+\/pools\/?$/);

  const page = async (
    req: Request,
    res: Response,
    campaign: CampaignRow,
    extra: { message?: string | null; result?: PoolUploadResult | null; added?: number | null } = {},
    status = 200,
  ) => {
    await checkPoolStock(ctx.deps, { campaignId: campaign.id });
    renderOps(
      ctx,
      req,
      res,
      'campaigns/pools',
      {
        campaign,
        stateLabels: STATE_LABELS,
        stock: await poolStock(ctx.deps, campaign),
        alert: await findOpenAlert(ctx.deps.db, campaign.id, LOW_STOCK_KIND),
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
  };

  opsRoute(router, 'get', '/campaigns/:id/pools', 'pools', async (req, res) => {
    const added =
      typeof req.query.added === 'string' && /^\d{1,9}$/.test(req.query.added)
        ? Number(req.query.added)
        : null;
    return page(req, res, await campaignFromParam(ctx, req), { added });
  });

  opsRoute(
    router,
    'post',
    '/campaigns/:id/pools',
    'pools',
    fileUpload(ctx.deps.config.DATA_DIR, 'file', MAX_POOL_CSV_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      try {
        const campaign = await campaignFromParam(ctx, req);
        const refusal = poolUploadRefusal(campaign);
        if (refusal) return page(req, res, campaign, { message: refusal }, 400);
        const upload = storedUpload(req);
        if (!upload || upload.size === 0) {
          return page(
            req,
            res,
            campaign,
            { message: 'コードのCSVファイル（brand,code）を選んでください。' },
            400,
          );
        }
        let result: PoolUploadResult;
        try {
          result = await uploadPoolCodes(ctx.deps, {
            campaign,
            staffId: req.staff!.id,
            file: createReadStream(upload.path),
          });
        } catch (err) {
          if (isAppError(err) && err.status < 500)
            return page(req, res, campaign, { message: err.publicMessage }, err.status);
          throw err;
        }
        if (!result.accepted) {
          return page(
            req,
            res,
            campaign,
            {
              message: `ファイルに誤りが ${result.errorCount} 件あるため、コードは1件も登録していません。直したファイルをもう一度アップロードしてください。`,
              result,
            },
            400,
          );
        }
        const total = Object.values(result.inserted).reduce((a, b) => a + b, 0);
        res.redirect(303, `/ops/campaigns/${campaign.id}/pools?added=${total}`);
      } finally {
        await removeUpload(req);
      }
    },
  );

  return router;
}
