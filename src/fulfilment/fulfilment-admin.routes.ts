import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { checkCsrf, fileUpload, removeUpload, storedUpload } from '../operators/uploads.js';
import { listOpenAlerts } from '../alerts/alert.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { can } from '../operators/permissions.js';
import { checkCsrfAfterUpload } from '../platform/http/security.js';
import { rerenderOn, validate, type FormRenderer } from '../platform/http/validate.js';
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
import { BatchNotFound, NoShippedFileChosen, PurgeReportNotFound } from './fulfilment.errors.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { alertKindLabel } from '../operators/ops.messages.js';

/** The vendor's shipped file: three short columns, so even a million lines stay far below this. */
const SHIPPED_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** Bad rows listed on the report page; the count covers all of them. */
const BAD_ROWS_SHOWN = 200;

interface Flash {
  message?: string;
  errors?: Record<string, string>;
}

/** The section's pages: every one shows the flash slots and whether the operator may export. */
function fulfilmentPages(ctx: OpsContext) {
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
      { pageTitle: T.titles.overview, campaigns: await campaignOverview(ctx.deps.db), ...flash },
      status,
    );
  return { render, overview };
}
type FulfilmentPages = ReturnType<typeof fulfilmentPages>;

/**
 * Fulfilment in the console: shipping batches and manifests, marking shipped or importing the
 * vendor's shipped file, purge reports and deadline alerts (the donation ledger: donation.routes).
 * Manifests are exports of personal data: their download needs the `exports` permission and is
 * audited. Actions redirect to the page they change (Post/Redirect/Get).
 */
export function fulfilmentRoutes(ctx: OpsContext): Router {
  const router = Router();
  const pages = fulfilmentPages(ctx);
  opsRoute(router, 'get', '/fulfilment', 'fulfilment', (req, res) => pages.overview(req, res));
  campaignShippingRoutes(router, ctx, pages);
  batchRoutes(router, ctx, pages);
  shippedFileRoute(router, ctx, pages);
  recordRoutes(router, ctx, pages);
  return router;
}

/** A campaign's shipping page, and its "cut batches now" button. */
function campaignShippingRoutes(router: Router, ctx: OpsContext, pages: FulfilmentPages): void {
  const { deps } = ctx;
  opsRoute(router, 'get', '/fulfilment/campaigns/:campaignId', 'fulfilment', async (req, res) => {
    const shipping = await campaignShipping(deps, idParam(req.params.campaignId, CampaignNotFound));
    await pages.render(req, res, 'campaign', {
      pageTitle: T.titles.shipping(shipping.campaign.slug),
      ...shipping,
      notice: shippingNotice(req.query, shipping.batches),
    });
  });

  opsRoute(router, 'post', '/fulfilment/campaigns/:campaignId/cut', 'fulfilment', async (req, res) => {
    const campaignId = idParam(req.params.campaignId, CampaignNotFound);
    const cut = await cutForCampaign(deps, req.staff!.id, campaignId);
    res.redirect(303, shippingPageUrl(campaignId, { done: 'cut', ...cut }));
  });
}

/** A batch's manifest download, and marking it shipped from its confirmation page. */
function batchRoutes(router: Router, ctx: OpsContext, pages: FulfilmentPages): void {
  const { deps } = ctx;
  const batchOf = (req: Request) => findBatchForOperator(deps.db, idParam(req.params.batchId, BatchNotFound));

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/manifest', 'exports', async (req, res) => {
    const m = await exportManifest(deps, req.staff!.id, idParam(req.params.batchId, BatchNotFound));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(m.filename);
    await pipeline(m.body, res);
  });

  opsRoute(router, 'get', '/fulfilment/batches/:batchId/ship', 'fulfilment', async (req, res) => {
    await pages.render(req, res, 'ship-confirm', {
      pageTitle: T.titles.shipConfirm,
      batch: await batchOf(req),
    });
  });

  // Said once, next to the box to tick (the page has no other field): no message above the form.
  const shipConfirmForm: FormRenderer = async (req, res, failure) =>
    pages.render(
      req,
      res,
      'ship-confirm',
      {
        pageTitle: T.titles.shipConfirm,
        batch: await batchOf(req),
        errors: { confirm: failure.fields.confirm },
      },
      failure.status,
    );

  opsRoute(
    router,
    'post',
    '/fulfilment/batches/:batchId/ship',
    'fulfilment',
    validate(ConfirmSchema, shipConfirmForm),
    async (req, res) => {
      const batch = await batchOf(req);
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
    },
  );
}

/** The vendor's shipped file, uploaded; a refused file shows the overview again with the reason. */
function shippedFileRoute(router: Router, ctx: OpsContext, pages: FulfilmentPages): void {
  const { deps } = ctx;
  // Multipart: the app-level CSRF check cannot read the token; checkCsrf does after the upload parser.
  checkCsrfAfterUpload(/^\/ops\/fulfilment\/shipped-file\/?$/);
  const uploadForm: FormRenderer = (req, res, failure) =>
    pages.overview(req, res, { message: failure.message, errors: failure.fields }, failure.status);

  opsRoute(
    router,
    'post',
    '/fulfilment/shipped-file',
    'fulfilment',
    fileUpload('file', SHIPPED_FILE_MAX_BYTES),
    checkCsrf(ctx),
    async (req, res) => {
      try {
        const upload = storedUpload(req);
        if (!upload || upload.size === 0) throw NoShippedFileChosen();
        const result = await importShippedUpload(
          deps,
          req.staff!.id,
          createReadStream(upload.path),
          upload.size,
        );
        await pages.render(req, res, 'import-report', {
          pageTitle: T.titles.importReport,
          result,
          badRows: result.badRows
            .slice(0, BAD_ROWS_SHOWN)
            .map((r) => ({ line: r.line, message: describeBadRow(r.message) })),
        });
      } finally {
        await removeUpload(req);
      }
    },
    rerenderOn(['validation'], uploadForm),
  );
}

/** Read-only records: the purge reports and the open alerts. */
function recordRoutes(router: Router, ctx: OpsContext, pages: FulfilmentPages): void {
  const { db } = ctx.deps;
  opsRoute(router, 'get', '/fulfilment/purge-reports', 'fulfilment', async (req, res) =>
    pages.render(req, res, 'purge-reports', {
      pageTitle: T.titles.purgeReports,
      reports: await purgeReports(db),
    }),
  );

  opsRoute(router, 'get', '/fulfilment/purge-reports/:reportId', 'fulfilment', async (req, res) => {
    const detail = await purgeReportDetail(db, idParam(req.params.reportId, PurgeReportNotFound));
    await pages.render(req, res, 'purge-report', { pageTitle: T.titles.purgeReport(detail.id), detail });
  });

  opsRoute(router, 'get', '/fulfilment/alerts', 'fulfilment', async (req, res) =>
    pages.render(req, res, 'alerts', {
      pageTitle: T.titles.alerts,
      openAlerts: await listOpenAlerts(db),
      kindLabel: alertKindLabel,
    }),
  );
}
