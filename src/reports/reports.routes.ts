import { Router } from 'express';
import { audit } from '../audit/audit.service.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { notFound } from '../platform/errors.js';
import { defaultFormat, lineChart, stackedBarChart } from './charts.js';
import { CSV_BOM, csvFileName, jstStamp, toCsv } from '../platform/csv-export.js';
import {
  buildCampaignReport,
  findReportCampaign,
  isReportKey,
  listReportCampaigns,
  reportRows,
  type ReportChart,
  type ReportUnit,
} from './reports.service.js';

const FORMATS: Record<ReportUnit, (n: number) => string> = {
  count: defaultFormat,
  yen: (n) => `${defaultFormat(n)}円`,
  percent: (n) => `${defaultFormat(n)}%`,
};

/** What a chart section of the page needs: the SVG and the same figures as a table. */
function chartView(campaignId: string, chart: ReportChart) {
  const format = FORMATS[chart.unit];
  const input = {
    id: chart.key,
    title: chart.title,
    desc: chart.desc,
    categories: chart.categories,
    series: chart.series,
    xLabel: chart.categoryLabel,
    yLabel: chart.valueLabel,
    format,
  };
  const columns = [...chart.series, ...chart.extra];
  return {
    key: chart.key,
    title: chart.title,
    desc: chart.desc,
    svg: chart.kind === 'bar' ? stackedBarChart(input) : lineChart(input),
    head: [chart.categoryLabel, ...columns.map((s) => s.label)],
    rows: chart.categories.map((cat, i) => [cat, ...columns.map((s) => defaultFormat(s.values[i] ?? 0))]),
    csvHref: `/ops/reports/${campaignId}/${chart.key}.csv`,
  };
}

/** Reports and charts per campaign, with a CSV file of each; every view and export is audited. */
export function reportsRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;

  const campaignOr404 = async (id: unknown) => {
    const campaign = await findReportCampaign(db, String(id));
    if (!campaign) throw notFound('キャンペーン');
    return campaign;
  };

  opsRoute(router, 'get', '/reports', 'reports', async (req, res) =>
    renderOps(ctx, req, res, 'reports/index', { campaigns: await listReportCampaigns(db) }),
  );

  opsRoute(router, 'get', '/reports/:campaignId', 'reports', async (req, res) => {
    const campaign = await campaignOr404(req.params.campaignId);
    const report = await buildCampaignReport(db, campaign);
    await audit(
      db,
      {
        staffId: req.staff!.id,
        action: 'report.view',
        targetType: 'campaign',
        targetId: campaign.id,
        campaignId: campaign.id,
      },
      now(),
    );
    renderOps(ctx, req, res, 'reports/campaign', {
      report,
      charts: report.charts.map((c) => chartView(campaign.id, c)),
      generatedAt: now(),
    });
  });

  opsRoute(router, 'get', '/reports/:campaignId/:report.csv', 'reports', async (req, res) => {
    const campaign = await campaignOr404(req.params.campaignId);
    const key = String(req.params.report);
    if (!isReportKey(key)) throw notFound('レポート');
    const report = await buildCampaignReport(db, campaign);
    const chart = report.charts.find((c) => c.key === key)!;
    const rows = reportRows(chart);
    const at = now();
    await audit(
      db,
      {
        staffId: req.staff!.id,
        action: 'report.export',
        targetType: 'campaign',
        targetId: campaign.id,
        campaignId: campaign.id,
        details: { report: key, rows: rows.length - 1 },
      },
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
