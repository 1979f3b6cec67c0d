import type { Kysely } from 'kysely';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import type { Database, Db } from '../platform/database.js';
import type { ChartSeries } from './charts.js';
import {
  countCustomersNotified,
  donationsPerDay,
  erasuresPerDay,
  listCampaigns,
  poolStock,
  redemptionsPerDay,
  type CampaignListRow,
  type RedemptionDayRow,
} from './reports.repo.js';

export const REPORT_KEYS = [
  'by-option',
  'by-brand',
  'by-channel',
  'redemption-rate',
  'data-choices',
  'donations',
  'pool',
] as const;
export type ReportKey = (typeof REPORT_KEYS)[number];
export const isReportKey = (s: string): s is ReportKey => (REPORT_KEYS as readonly string[]).includes(s);

export type ReportUnit = 'count' | 'yen' | 'percent';

/** One chart and the same figures as a table and a CSV file: the three never disagree. */
export interface ReportChart {
  key: ReportKey;
  kind: 'bar' | 'line';
  title: string;
  desc: string;
  categoryLabel: string;
  valueLabel: string;
  unit: ReportUnit;
  categories: string[];
  /** Drawn in the chart. */
  series: ChartSeries[];
  /** Shown in the table and the CSV file only. */
  extra: ChartSeries[];
}

export interface ReportSummary {
  notified: number;
  redemptions: number;
  ratePercent: number;
  erasureRequests: number;
  erasuresDone: number;
  optOuts: number;
  donations: { count: number; totalYen: number };
  /** Donation redemptions not booked in the ledger yet (the booking job follows). */
  donationsPending: number;
  poolFree: number;
}

export interface CampaignReport {
  campaign: { id: string; slug: string; companyName: string; state: string };
  summary: ReportSummary;
  charts: ReportChart[];
}

export const OPTION_LABELS: Record<string, string> = {
  emoney: '電子マネーギフト',
  book_card: '図書カード',
  donation: '寄付',
};
export const CHANNEL_LABELS: Record<string, string> = { web: 'WEB', postcard: 'はがき' };

const DAY = '日付（日本時間）';

export async function listReportCampaigns(db: Db): Promise<CampaignListRow[]> {
  return listCampaigns(db);
}

/** Any campaign, whatever its state: reports hold no personal data and outlive the purge. */
export async function findReportCampaign(db: Db, id: string): Promise<Campaign | undefined> {
  if (!/^[1-9]\d{0,17}$/.test(id)) return undefined;
  const row = await findCampaignById(db, id);
  return row ? toCampaign(row) : undefined;
}

/** Every day from the first to the last, so that quiet days show as zero rather than vanish. */
export function dayRange(days: Iterable<string>): string[] {
  const sorted = [...new Set(days)].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  if (sorted.length === 0) return [];
  const out: string[] = [];
  const last = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${sorted[0]}T00:00:00Z`); t <= last; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const sumBy = (rows: RedemptionDayRow[], pick: (r: RedemptionDayRow) => boolean) =>
  rows.reduce((n, r) => n + (pick(r) ? r.n : 0), 0);

/** A series per key, a value per day. */
function perDay(
  days: string[],
  rows: RedemptionDayRow[],
  keys: { key: string; label: string }[],
  keyOf: (r: RedemptionDayRow) => string | null,
): ChartSeries[] {
  const index = new Map(days.map((d, i) => [d, i]));
  return keys.map(({ key, label }) => {
    const values = days.map(() => 0);
    for (const r of rows) if (keyOf(r) === key) values[index.get(r.day)!]! += r.n;
    return { label, values };
  });
}

/** Known keys in the campaign's order, then any the data has that the definition no longer lists. */
function keysFor(known: { key: string; label: string }[], seen: (string | null)[]) {
  const out = [...known];
  for (const k of seen) if (k !== null && !out.some((o) => o.key === k)) out.push({ key: k, label: k });
  return out;
}

const cumulative = (values: readonly number[]) => {
  let total = 0;
  return values.map((v) => (total += v));
};

/**
 * Builds every chart of a campaign from one consistent snapshot (a read-only repeatable-read
 * transaction: the rate's numerator and denominator come from the same moment).
 *
 * The donation total comes from the donation ledger, not from donation redemptions: the ledger is
 * what has actually been booked for the recipient (at the amount booked), which is what the public
 * page may claim as donated; redemptions not yet booked are reported apart as pending.
 * Opt-outs and erasure requests come from the redemptions' data choice (one source for web and
 * postcards, kept after erasure and purge); erasures carried out come from `customers.erased_at`.
 */
export async function buildCampaignReport(db: Kysely<Database>, campaign: Campaign): Promise<CampaignReport> {
  const id = campaign.id;
  const { redemptions, notified, erasures, donations, pool } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => ({
      redemptions: await redemptionsPerDay(trx, id),
      notified: await countCustomersNotified(trx, id),
      erasures: await erasuresPerDay(trx, id),
      donations: await donationsPerDay(trx, id),
      pool: await poolStock(trx, id),
    }));

  const days = dayRange([
    ...redemptions.map((r) => r.day),
    ...erasures.map((r) => r.day),
    ...donations.map((r) => r.day),
  ]);
  const options = campaign.def.options;
  const optionKeys = keysFor(
    (['emoney', 'book_card', 'donation'] as const)
      .filter((k) =>
        k === 'emoney' ? options.emoney : k === 'book_card' ? options.bookCard : options.donation,
      )
      .map((key) => ({ key, label: OPTION_LABELS[key]! })),
    redemptions.map((r) => r.option),
  );
  const brandKeys = keysFor(
    (options.emoney?.brands ?? []).map((b) => ({ key: b.key, label: b.label })),
    redemptions.map((r) => r.brand),
  );
  const channelKeys = keysFor(
    Object.entries(CHANNEL_LABELS).map(([key, label]) => ({ key, label })),
    redemptions.map((r) => r.channel),
  );

  const byOption = perDay(days, redemptions, optionKeys, (r) => r.option);
  const daily = days.map((_, i) => byOption.reduce((n, s) => n + s.values[i]!, 0));
  const cumulativeCount = cumulative(daily);
  const rate = (n: number) => (notified > 0 ? Math.round((n / notified) * 100 * 1000) / 1000 : 0);

  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const erasuresDone = days.map(() => 0);
  for (const e of erasures) erasuresDone[dayIndex.get(e.day)!] = e.n;
  const donatedCount = days.map(() => 0);
  const donatedYen = days.map(() => 0);
  for (const d of donations) {
    donatedCount[dayIndex.get(d.day)!] = d.n;
    donatedYen[dayIndex.get(d.day)!] = d.yen;
  }
  const dataChoices = perDay(
    days,
    redemptions,
    [
      { key: 'erasure', label: '消去の申出' },
      { key: 'marketing_optout', label: '案内停止の申出' },
    ],
    (r) => r.data_choice,
  );

  const total = cumulativeCount[cumulativeCount.length - 1] ?? 0;
  const donationsBooked = {
    count: donatedCount.reduce((a, b) => a + b, 0),
    totalYen: donatedYen.reduce((a, b) => a + b, 0),
  };
  const brandLabel = (k: string) => brandKeys.find((b) => b.key === k)?.label ?? k;

  const charts: ReportChart[] = [
    {
      key: 'by-option',
      kind: 'bar',
      title: '日別申込数（お詫びの品別）',
      desc: `${days.length}日間の日別申込数を、選ばれたお詫びの品ごとに積み上げた棒グラフ。合計${total}件。`,
      categoryLabel: DAY,
      valueLabel: '申込数（件）',
      unit: 'count',
      categories: days,
      series: byOption,
      extra: [{ label: '合計', values: daily }],
    },
    {
      key: 'by-brand',
      kind: 'bar',
      title: '日別申込数（電子マネーのブランド別）',
      desc: `電子マネーギフトの日別申込数を、ブランドごとに積み上げた棒グラフ。合計${sumBy(redemptions, (r) => r.option === 'emoney')}件。`,
      categoryLabel: DAY,
      valueLabel: '申込数（件）',
      unit: 'count',
      categories: days,
      series: perDay(days, redemptions, brandKeys, (r) => r.brand),
      extra: [],
    },
    {
      key: 'by-channel',
      kind: 'bar',
      title: '日別申込数（受付経路別）',
      desc: `日別申込数を、WEBとはがきの受付経路ごとに積み上げた棒グラフ。合計${total}件。`,
      categoryLabel: DAY,
      valueLabel: '申込数（件）',
      unit: 'count',
      categories: days,
      series: perDay(days, redemptions, channelKeys, (r) => r.channel),
      extra: [],
    },
    {
      key: 'redemption-rate',
      kind: 'line',
      title: '累計申込率（通知対象者数に対する割合）',
      desc: `書面でお知らせした${notified}人に対する累計申込数の割合の推移を示す折れ線グラフ。現在${rate(total)}%。`,
      categoryLabel: DAY,
      valueLabel: '累計申込率（%）',
      unit: 'percent',
      categories: days,
      series: [{ label: '累計申込率（%）', values: cumulativeCount.map(rate) }],
      extra: [
        { label: '申込数（日別）', values: daily },
        { label: '累計申込数', values: cumulativeCount },
        { label: '通知対象者数', values: days.map(() => notified) },
      ],
    },
    {
      key: 'data-choices',
      kind: 'line',
      title: '日別の消去・案内停止',
      desc: `消去の申出、消去の実施、案内停止（ダイレクトメール・営業電話の停止）の申出の日別件数を示す折れ線グラフ。`,
      categoryLabel: DAY,
      valueLabel: '件数（件）',
      unit: 'count',
      categories: days,
      series: [dataChoices[0]!, { label: '消去の実施', values: erasuresDone }, dataChoices[1]!],
      extra: [],
    },
    {
      key: 'donations',
      kind: 'line',
      title: '寄付の累計額',
      desc: `寄付台帳に計上した寄付の累計額の推移を示す折れ線グラフ。現在${donationsBooked.count}件・${donationsBooked.totalYen}円。`,
      categoryLabel: DAY,
      valueLabel: '累計額（円）',
      unit: 'yen',
      categories: days,
      series: [{ label: '寄付の累計額（円）', values: cumulative(donatedYen) }],
      extra: [
        { label: '寄付件数（日別）', values: donatedCount },
        { label: '寄付額（日別・円）', values: donatedYen },
        { label: '寄付の累計件数', values: cumulative(donatedCount) },
      ],
    },
    {
      key: 'pool',
      kind: 'bar',
      title: '電子マネーギフトコードの在庫',
      desc: `ブランドごとのギフトコード在庫（未割当）と割当済みの数を積み上げた棒グラフ。未割当は合計${pool.reduce((n, p) => n + p.free, 0)}件。`,
      categoryLabel: 'ブランド',
      valueLabel: 'コード数（件）',
      unit: 'count',
      categories: pool.map((p) => brandLabel(p.brand)),
      series: [
        { label: '未割当（在庫）', values: pool.map((p) => p.free) },
        { label: '割当済み', values: pool.map((p) => p.allocated) },
      ],
      extra: [],
    },
  ];

  return {
    campaign: { id, slug: campaign.slug, companyName: campaign.def.companyName, state: campaign.state },
    summary: {
      notified,
      redemptions: total,
      ratePercent: rate(total),
      erasureRequests: sumBy(redemptions, (r) => r.data_choice === 'erasure'),
      erasuresDone: erasuresDone.reduce((a, b) => a + b, 0),
      optOuts: sumBy(redemptions, (r) => r.data_choice === 'marketing_optout'),
      donations: donationsBooked,
      donationsPending: Math.max(
        0,
        sumBy(redemptions, (r) => r.option === 'donation') - donationsBooked.count,
      ),
      poolFree: pool.reduce((n, p) => n + p.free, 0),
    },
    charts,
  };
}

/** The CSV of a chart: the header, then a row per category with every series and extra column. */
export function reportRows(chart: ReportChart): (string | number)[][] {
  const columns = [...chart.series, ...chart.extra];
  return [
    [chart.categoryLabel, ...columns.map((s) => s.label)],
    ...chart.categories.map((cat, i) => [cat, ...columns.map((s) => s.values[i] ?? 0)]),
  ];
}
