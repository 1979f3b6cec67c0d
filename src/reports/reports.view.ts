import { defaultFormat, lineChart, stackedBarChart } from './charts.js';
import type { ReportChart, ReportUnit } from './reports.model.js';

const FORMATS: Record<ReportUnit, (n: number) => string> = {
  count: defaultFormat,
  yen: (n) => `${defaultFormat(n)}円`,
  percent: (n) => `${defaultFormat(n)}%`,
};

/** What a chart section of the page needs: the SVG and the same figures as a table. */
export function chartView(campaignId: string, chart: ReportChart) {
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
