import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import { listOpenAlerts } from '../alerts/alert.service.js';
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
import { purgeReportDetail, purgeReports } from './fulfilment-admin.records.js';
import { FULFILMENT_TEXT as T } from './fulfilment-admin.messages.js';
import { shippingNotice, shippingPageUrl } from './fulfilment-admin.notices.js';
import { alertKindLabel } from '../operators/ops.messages.js';

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
 * vendor's shipped file, purge reports and deadline alerts (the donation ledger: donation.routes).
 * Manifests are exports of personal data: their download needs the `exports` permission and is
 * audited. Actions redirect to the page they change (Post/Redirect/Get).
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
      { pageTitle: T.titles.overview, campaigns: await campaignOverview(deps.db), ...flash },
      status,
    );

  opsRoute(router, 'get', '/fulfilment', 'fulfilment', (req, res) => overview(req, res));

  opsRoute(router, 'get', '/fulfilment/campaigns/:campaignId', 'fulfilment', async (req, res) => {
    const shipping = await campaignShipping(deps.db, idParam(req.params.campaignId, T.what.campaign));
    await render(req, res, 'campaign', {
      pageTitle: T.titles.shipping(shipping.campaign.slug),
      ...shipping,
      notice: shippingNotice(req.query, shipping.batches),
    });
  });

  opsRoute(router, 'post', '/fulfilment/campaigns/:campaignId/cut', 'fulfilment', async (req, res) => {
    const campaignId = idParam(req.params.campaignId, T.what.campaign);
    const cut = await cutForCampaign(deps, req.staff!.id, campaignId);
    res.redirect(303, shippingPageUrl(campaignId, { done: 'cut', ...cut }));
  });

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/manifest', 'exports', async (req, res) => {
    const m = await exportManifest(deps, req.staff!.id, idParam(req.params.batchId, T.what.batch));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(m.filename);
    await pipeline(m.handle.createReadStream(), res);
  });

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/ship', 'fulfilment', async (req, res) => {
    const batch = await findBatchForOperator(deps.db, idParam(req.params.batchId, T.what.batch));
    await render(req, res, 'ship-confirm', { pageTitle: T.titles.shipConfirm, batch });
  });

  opsRoute(router, 'post', '/fulfilment/batches/:batchId/ship', 'fulfilment', async (req, res) => {
    const batch = await findBatchForOperator(deps.db, idParam(req.params.batchId, T.what.batch));
    const parsed = ConfirmSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      // Said once, next to the box to tick (the page has no other field).
      const errors = { confirm: parsed.error.issues[0]!.message };
      return render(req, res, 'ship-confirm', { pageTitle: T.titles.shipConfirm, batch, errors }, 400);
    }
    const outcome = await markShippedByOperator(deps, req.staff!.id, batch.id);
    res.redirect(
      303,
      shippingPageUrl(
        batch.campaign_id,
        outcome.already
          ? { done: 'already-shipped', batch: batch.id }
          : { done: 'shipped', batch: batch.id, delivered: outcome.fulfilled },
      ),
    );
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
            message: T.errors.chooseFile,
            errors: { file: T.errors.noFile },
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
          pageTitle: T.titles.importReport,
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

  opsRoute(router, 'get', '/fulfilment/purge-reports', 'fulfilment', async (req, res) =>
    render(req, res, 'purge-reports', {
      pageTitle: T.titles.purgeReports,
      reports: await purgeReports(deps.db),
    }),
  );

  opsRoute(router, 'get', '/fulfilment/purge-reports/:reportId', 'fulfilment', async (req, res) => {
    const detail = await purgeReportDetail(deps.db, idParam(req.params.reportId, T.what.purgeReport));
    await render(req, res, 'purge-report', { pageTitle: T.titles.purgeReport(detail.id), detail });
  });

  opsRoute(router, 'get', '/fulfilment/alerts', 'fulfilment', async (req, res) =>
    render(req, res, 'alerts', {
      pageTitle: T.titles.alerts,
      openAlerts: await listOpenAlerts(deps.db),
      kindLabel: alertKindLabel,
    }),
  );

  return router;
}
