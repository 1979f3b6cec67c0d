import type { ChartSeries } from './charts.js';

/** What a campaign's report is made of: its charts (each also a table and a CSV file) and a summary. */

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
