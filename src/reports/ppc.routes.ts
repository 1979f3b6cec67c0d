import { Router, type Request } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { csvDocument, csvFileName } from '../platform/csv.js';
import { PPC_TEXT } from './ppc.messages.js';
import { incidentFacts, parseAsOfDay, ppcReportFor, ppcCsv } from './ppc.service.js';

/**
 * The figures for a breach report to the Personal Information Protection Commission, as of the end
 * of a chosen day in Japan (`?asOf=YYYY-MM-DD`, today by default): a page and the same as a CSV.
 * Mounted before the campaign report's `/:report.csv`, which would otherwise take `ppc.csv`.
 */
export function ppcRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const reportFor = (req: Request, exported: boolean) => {
    const at = now();
    const asOfDay = parseAsOfDay(req.query.asOf, at);
    const request = { staffId: req.staff!.id, campaignId: String(req.params.campaignId), asOfDay, exported };
    return ppcReportFor(db, request, at);
  };

  opsRoute(router, 'get', '/reports/:campaignId/ppc', 'reports', async (req, res) => {
    const report = await reportFor(req, false);
    renderOps(ctx, req, res, 'reports/ppc', {
      report,
      facts: incidentFacts(report.incident),
      text: PPC_TEXT,
    });
  });

  opsRoute(router, 'get', '/reports/:campaignId/ppc.csv', 'reports', async (req, res) => {
    const report = await reportFor(req, true);
    const { header, rows } = ppcCsv(report);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(csvFileName('ppc-report', report.campaign.slug, report.asOfDay.replace(/-/g, '')))
      .send(csvDocument(header, rows));
  });

  return router;
}
