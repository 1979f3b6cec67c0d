import type { Campaign } from '../campaigns/campaign.service.js';
import type { ChartSeries } from './charts.js';
import { cumulative, dayRange, keysFor, onDays, perDay, sum, sumBy } from './report-series.js';
import type { ReportChart, ReportSummary } from './reports.model.js';
import { CHANNEL_LABELS, OPTION_LABELS, REPORT_TEXT as T } from './reports.messages.js';
import type { RedemptionDayRow } from './reports.repo.js';

/** A campaign's report from one snapshot of its aggregates: the charts and the summary. */

export interface ReportSnapshot {
  redemptions: RedemptionDayRow[];
  notified: number;
  erasures: { day: string; n: number }[];
  donations: { day: string; n: number; yen: number }[];
  /** Gift codes per brand, in the order of the brand keys. */
  pool: { brand: string; free: number; allocated: number }[];
}

type Key = { key: string; label: string };

/** What several charts and the summary share, computed once. */
interface Figures {
  days: string[];
  byOption: ChartSeries[];
  brandKeys: Key[];
  channelKeys: Key[];
  daily: number[];
  cumulativeCount: number[];
  total: number;
  rate: (n: number) => number;
  erasuresDone: number[];
  donatedCount: number[];
  donatedYen: number[];
}

function figuresOf(campaign: Campaign, s: ReportSnapshot): Figures {
  const days = dayRange([...s.redemptions, ...s.erasures, ...s.donations].map((r) => r.day));
  const options = campaign.def.options;
  const offered = { emoney: options.emoney, book_card: options.bookCard, donation: options.donation };
  const optionKeys = keysFor(
    (['emoney', 'book_card', 'donation'] as const)
      .filter((k) => offered[k])
      .map((key) => ({ key, label: OPTION_LABELS[key]! })),
    s.redemptions.map((r) => r.option),
  );
  const byOption = perDay(days, s.redemptions, optionKeys, (r) => r.option);
  const daily = days.map((_, i) => byOption.reduce((n, series) => n + series.values[i]!, 0));
  const cumulativeCount = cumulative(daily);
  return {
    days,
    byOption,
    brandKeys: keysFor(
      (options.emoney?.brands ?? []).map((b) => ({ key: b.key, label: b.label })),
      s.redemptions.map((r) => r.brand),
    ),
    channelKeys: keysFor(
      Object.entries(CHANNEL_LABELS).map(([key, label]) => ({ key, label })),
      s.redemptions.map((r) => r.channel),
    ),
    daily,
    cumulativeCount,
    total: cumulativeCount[cumulativeCount.length - 1] ?? 0,
    rate: (n) => (s.notified > 0 ? Math.round((n / s.notified) * 100 * 1000) / 1000 : 0),
    erasuresDone: onDays(days, s.erasures, (e) => e.n),
    donatedCount: onDays(days, s.donations, (d) => d.n),
    donatedYen: onDays(days, s.donations, (d) => d.yen),
  };
}

/** A chart over the days. */
const daysChart = (
  f: Figures,
  chart: Omit<ReportChart, 'categories' | 'categoryLabel' | 'extra'> & { extra?: ChartSeries[] },
): ReportChart => ({
  ...chart,
  categoryLabel: T.day,
  categories: f.days,
  extra: chart.extra ?? [],
});

function redemptionCharts(f: Figures, s: ReportSnapshot): ReportChart[] {
  const { days } = f;
  return [
    daysChart(f, {
      key: 'by-option',
      kind: 'bar',
      title: T.byOption.title,
      desc: T.byOption.desc(days.length, f.total),
      valueLabel: T.byOption.value,
      unit: 'count',
      series: f.byOption,
      extra: [{ label: T.total, values: f.daily }],
    }),
    daysChart(f, {
      key: 'by-brand',
      kind: 'bar',
      title: T.byBrand.title,
      desc: T.byBrand.desc(sumBy(s.redemptions, (r) => r.option === 'emoney')),
      valueLabel: T.byBrand.value,
      unit: 'count',
      series: perDay(days, s.redemptions, f.brandKeys, (r) => r.brand),
    }),
    daysChart(f, {
      key: 'by-channel',
      kind: 'bar',
      title: T.byChannel.title,
      desc: T.byChannel.desc(f.total),
      valueLabel: T.byChannel.value,
      unit: 'count',
      series: perDay(days, s.redemptions, f.channelKeys, (r) => r.channel),
    }),
    daysChart(f, {
      key: 'redemption-rate',
      kind: 'line',
      title: T.rate.title,
      desc: T.rate.desc(s.notified, f.rate(f.total)),
      valueLabel: T.rate.value,
      unit: 'percent',
      series: [{ label: T.rate.value, values: f.cumulativeCount.map(f.rate) }],
      extra: [
        { label: T.rate.daily, values: f.daily },
        { label: T.rate.cumulative, values: f.cumulativeCount },
        { label: T.rate.notified, values: days.map(() => s.notified) },
      ],
    }),
  ];
}

function dataAndDonationCharts(f: Figures, s: ReportSnapshot): ReportChart[] {
  const [erasureAsked, optOutAsked] = perDay(
    f.days,
    s.redemptions,
    [
      { key: 'erasure', label: T.dataChoices.erasure },
      { key: 'marketing_optout', label: T.dataChoices.optOut },
    ],
    (r) => r.data_choice,
  );
  return [
    daysChart(f, {
      key: 'data-choices',
      kind: 'line',
      title: T.dataChoices.title,
      desc: T.dataChoices.desc,
      valueLabel: T.dataChoices.value,
      unit: 'count',
      series: [erasureAsked!, { label: T.dataChoices.erased, values: f.erasuresDone }, optOutAsked!],
    }),
    daysChart(f, {
      key: 'donations',
      kind: 'line',
      title: T.donations.title,
      desc: T.donations.desc(sum(f.donatedCount), sum(f.donatedYen)),
      valueLabel: T.donations.value,
      unit: 'yen',
      series: [{ label: T.donations.cumulativeYen, values: cumulative(f.donatedYen) }],
      extra: [
        { label: T.donations.dailyCount, values: f.donatedCount },
        { label: T.donations.dailyYen, values: f.donatedYen },
        { label: T.donations.cumulativeCount, values: cumulative(f.donatedCount) },
      ],
    }),
  ];
}

function poolChart(f: Figures, s: ReportSnapshot): ReportChart {
  const brandLabel = (k: string) => f.brandKeys.find((b) => b.key === k)?.label ?? k;
  return {
    key: 'pool',
    kind: 'bar',
    title: T.pool.title,
    desc: T.pool.desc(sum(s.pool.map((p) => p.free))),
    categoryLabel: T.pool.category,
    valueLabel: T.pool.value,
    unit: 'count',
    categories: s.pool.map((p) => brandLabel(p.brand)),
    series: [
      { label: T.pool.free, values: s.pool.map((p) => p.free) },
      { label: T.pool.allocated, values: s.pool.map((p) => p.allocated) },
    ],
    extra: [],
  };
}

function summaryOf(f: Figures, s: ReportSnapshot): ReportSummary {
  const donations = { count: sum(f.donatedCount), totalYen: sum(f.donatedYen) };
  return {
    notified: s.notified,
    redemptions: f.total,
    ratePercent: f.rate(f.total),
    erasureRequests: sumBy(s.redemptions, (r) => r.data_choice === 'erasure'),
    erasuresDone: sum(f.erasuresDone),
    optOuts: sumBy(s.redemptions, (r) => r.data_choice === 'marketing_optout'),
    donations,
    donationsPending: Math.max(0, sumBy(s.redemptions, (r) => r.option === 'donation') - donations.count),
    poolFree: sum(s.pool.map((p) => p.free)),
  };
}

export function chartsAndSummary(
  campaign: Campaign,
  snapshot: ReportSnapshot,
): { charts: ReportChart[]; summary: ReportSummary } {
  const f = figuresOf(campaign, snapshot);
  return {
    charts: [...redemptionCharts(f, snapshot), ...dataAndDonationCharts(f, snapshot), poolChart(f, snapshot)],
    summary: summaryOf(f, snapshot),
  };
}
