import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../campaigns/campaign-admin.upload.js';
import { listOpenAlerts } from '../erasure/deadline.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { can } from '../operators/permissions.js';
import { isAppError } from '../platform/errors.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { ConfirmSchema, idParam } from './fulfilment-admin.schema.js';
import {
  campaignOverview,
  campaignShipping,
  cutForCampaign,
  describeBadRow,
  exportManifest,
  findBatchForOperator,
  importShippedUpload,
  markShippedByOperator,
} from './fulfilment-admin.service.js';
import { donationLedger, purgeReportDetail, purgeReports } from './fulfilment-admin.records.js';

/** The vendor's shipped file: three short columns, so even a million lines stay far below this. */
const SHIPPED_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** Bad rows listed on the report page; the count covers all of them. */
const BAD_ROWS_SHOWN = 200;

interface Flash {
  notice?: string;
  message?: string;
  errors?: Record<string, string>;
}

/**
 * Fulfilment in the console: shipping batches and manifests, marking shipped or importing the
 * vendor's shipped file, the donation ledger, purge reports and deadline alerts. Manifests are
 * exports of personal data: their download needs the `exports` permission and is audited.
 */
export function fulfilmentRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { deps } = ctx;
  // Multipart: the app-level CSRF check cannot read the token; checkCsrf does after the upload parser.
  checkCsrfAfterUpload(/^\/ops\/fulfilment\/shipped-file\/?$/);
  const render = (req: Request, res: Response, view: string, locals: Record<string, unknown>, status = 200) =>
    renderOps(
      ctx,
      req,
      res,
      `fulfilment/${view}`,
      { notice: null, message: null, errors: {}, canExport: can(req.staff!.role, 'exports'), ...locals },
      status,
    );

  const overview = async (req: Request, res: Response, flash: Flash = {}, status = 200) =>
    render(
      req,
      res,
      'index',
      { pageTitle: '発送・寄付', campaigns: await campaignOverview(deps.db), ...flash },
      status,
    );

  const shippingPage = async (
    req: Request,
    res: Response,
    campaignId: string,
    flash: Flash = {},
    status = 200,
  ) => {
    const shipping = await campaignShipping(deps.db, campaignId);
    return render(
      req,
      res,
      'campaign',
      { pageTitle: `発送（${shipping.campaign.slug}）`, ...shipping, ...flash },
      status,
    );
  };

  opsRoute(router, 'get', '/fulfilment', 'fulfilment', (req, res) => overview(req, res));

  opsRoute(router, 'get', '/fulfilment/campaigns/:campaignId', 'fulfilment', (req, res) =>
    shippingPage(req, res, idParam(req.params.campaignId, 'キャンペーン')),
  );

  opsRoute(router, 'post', '/fulfilment/campaigns/:campaignId/cut', 'fulfilment', async (req, res) => {
    const campaignId = idParam(req.params.campaignId, 'キャンペーン');
    const cut = await cutForCampaign(deps, req.staff!.id, campaignId);
    await shippingPage(req, res, campaignId, {
      notice:
        cut.batches > 0
          ? `出荷バッチを ${cut.batches} 件作成しました（図書カード ${cut.lines.toLocaleString('ja-JP')} 枚）。`
          : 'バッチにする図書カードはありませんでした。',
    });
  });

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/manifest', 'exports', async (req, res) => {
    const m = await exportManifest(deps, req.staff!.id, idParam(req.params.batchId, '出荷バッチ'));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(m.filename);
    await pipeline(m.handle.createReadStream(), res);
  });

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/ship', 'fulfilment', async (req, res) => {
    const batch = await findBatchForOperator(deps.db, idParam(req.params.batchId, '出荷バッチ'));
    await render(req, res, 'ship-confirm', { pageTitle: '発送済みにする', batch });
  });

  opsRoute(router, 'post', '/fulfilment/batches/:batchId/ship', 'fulfilment', async (req, res) => {
    const batch = await findBatchForOperator(deps.db, idParam(req.params.batchId, '出荷バッチ'));
    const parsed = ConfirmSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return render(
        req,
        res,
        'ship-confirm',
        {
          pageTitle: '発送済みにする',
          batch,
          message: '確認欄にチェックを入れてから実行してください。',
          errors: { confirm: parsed.error.issues[0]!.message },
        },
        400,
      );
    }
    const outcome = await markShippedByOperator(deps, req.staff!.id, batch.id);
    await shippingPage(req, res, batch.campaign_id, {
      notice: outcome.already
        ? `バッチ ${batch.id} はすでに発送済みです。変更はありません。`
        : `バッチ ${batch.id} を発送済みにしました（お届け完了 ${outcome.fulfilled.toLocaleString('ja-JP')} 件）。出荷指示ファイルは削除しました。`,
    });
  });

  opsRoute(
    router,
    'post',
    '/fulfilment/shipped-file',
    'fulfilment',
    fileUpload(deps.config.DATA_DIR, 'file', SHIPPED_FILE_MAX_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      const upload = storedUpload(req);
      if (!upload || upload.size === 0) {
        await removeUpload(req);
        return overview(
          req,
          res,
          {
            message: '出荷ファイル（CSV）を選んでください。',
            errors: { file: 'ファイルが選ばれていません。' },
          },
          400,
        );
      }
      try {
        const result = await importShippedUpload(
          deps,
          req.staff!.id,
          createReadStream(upload.path),
          upload.size,
        );
        await render(req, res, 'import-report', {
          pageTitle: '出荷ファイルの取り込み結果',
          result,
          badRows: result.badRows
            .slice(0, BAD_ROWS_SHOWN)
            .map((r) => ({ line: r.line, message: describeBadRow(r.message) })),
        });
      } catch (err) {
        if (isAppError(err) && err.code === 'validation')
          return overview(req, res, { message: err.publicMessage, errors: err.fields }, 400);
        throw err;
      } finally {
        await removeUpload(req);
      }
    },
  );

  opsRoute(router, 'get', '/fulfilment/donations', 'fulfilment', async (req, res) =>
    render(req, res, 'donations', { pageTitle: '寄付台帳', ...(await donationLedger(deps.db)) }),
  );

  opsRoute(router, 'get', '/fulfilment/purge-reports', 'fulfilment', async (req, res) =>
    render(req, res, 'purge-reports', { pageTitle: '消去レポート', reports: await purgeReports(deps.db) }),
  );

  opsRoute(router, 'get', '/fulfilment/purge-reports/:reportId', 'fulfilment', async (req, res) => {
    const detail = await purgeReportDetail(deps.db, idParam(req.params.reportId, '消去レポート'));
    await render(req, res, 'purge-report', { pageTitle: `消去レポート ${detail.id}`, detail });
  });

  opsRoute(router, 'get', '/fulfilment/alerts', 'fulfilment', async (req, res) =>
    render(req, res, 'alerts', { pageTitle: '期限の警告', openAlerts: await listOpenAlerts(deps.db) }),
  );

  return router;
}
