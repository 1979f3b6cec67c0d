import { Router } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { CSV_BOM, csvFileName, jstStamp, toCsv } from '../platform/csv-export.js';
import { ppcRoutes } from './ppc.routes.js';
import { exportReport, listReportCampaigns, viewCampaignReport } from './reports.service.js';
import { chartView } from './reports.view.js';

/** Reports and charts per campaign, with a CSV file of each; every view and export is audited. */
export function reportsRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  // Before `/:report.csv` below, which would otherwise take `ppc.csv`.
  router.use(ppcRoutes(ctx));

  opsRoute(router, 'get', '/reports', 'reports', async (req, res) =>
    renderOps(ctx, req, res, 'reports/index', { campaigns: await listReportCampaigns(db) }),
  );

  opsRoute(router, 'get', '/reports/:campaignId', 'reports', async (req, res) => {
    const campaignId = String(req.params.campaignId);
    const report = await viewCampaignReport(db, req.staff!.id, campaignId, now());
    renderOps(ctx, req, res, 'reports/campaign', {
      report,
      charts: report.charts.map((c) => chartView(report.campaign.id, c)),
      generatedAt: now(),
    });
  });

  opsRoute(router, 'get', '/reports/:campaignId/:report.csv', 'reports', async (req, res) => {
    const at = now();
    const { campaign, key, rows } = await exportReport(
      db,
      req.staff!.id,
      String(req.params.campaignId),
      String(req.params.report),
      at,
    );
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(csvFileName('report', campaign.slug, key, jstStamp(at)))
      .send(CSV_BOM + toCsv(rows));
  });

  return router;
}
