import type { Kysely } from 'kysely';
import { audit } from '../audit/audit.service.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import type { Database, Db } from '../platform/database.js';
import { stockByBrand } from '../pools/pools.repo.js';
import { chartsAndSummary, type ReportSnapshot } from './report-charts.js';
import { ReportCampaignNotFound, ReportNotFound } from './reports.errors.js';
import { isReportKey, type CampaignReport, type ReportChart } from './reports.model.js';
import {
  countCustomersNotified,
  donationsPerDay,
  erasuresPerDay,
  listCampaigns,
  redemptionsPerDay,
  type CampaignListRow,
} from './reports.repo.js';

/** Reports per campaign: aggregates only, never a row about a person; every view and export audited. */

export async function listReportCampaigns(db: Db): Promise<CampaignListRow[]> {
  return listCampaigns(db);
}

/** Any campaign, whatever its state: reports hold no personal data and outlive the purge. */
export async function findReportCampaign(db: Db, id: string): Promise<Campaign | undefined> {
  if (!/^[1-9]\d{0,17}$/.test(id)) return undefined;
  const row = await findCampaignById(db, id);
  return row ? toCampaign(row) : undefined;
}

async function requireReportCampaign(db: Db, id: string): Promise<Campaign> {
  const campaign = await findReportCampaign(db, id);
  if (!campaign) throw ReportCampaignNotFound();
  return campaign;
}

/** By brand key, as the chart has always listed them (the pools domain gives them unordered). */
const byBrand = (a: { brand: string }, b: { brand: string }) =>
  a.brand < b.brand ? -1 : a.brand > b.brand ? 1 : 0;

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
  const snapshot: ReportSnapshot = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => ({
      redemptions: await redemptionsPerDay(trx, id),
      notified: await countCustomersNotified(trx, id),
      erasures: await erasuresPerDay(trx, id),
      donations: await donationsPerDay(trx, id),
      pool: (await stockByBrand(trx, id)).sort(byBrand),
    }));
  return {
    campaign: { id, slug: campaign.slug, companyName: campaign.def.companyName, state: campaign.state },
    ...chartsAndSummary(campaign, snapshot),
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

const campaignTarget = (campaign: Campaign) => ({
  targetType: 'campaign',
  targetId: campaign.id,
  campaignId: campaign.id,
});

/** A staff member reads a campaign's report (audited). */
export async function viewCampaignReport(
  db: Kysely<Database>,
  staffId: string,
  campaignId: string,
  now: Date,
): Promise<CampaignReport> {
  const campaign = await requireReportCampaign(db, campaignId);
  const report = await buildCampaignReport(db, campaign);
  await audit(db, { staffId, action: 'report.view', ...campaignTarget(campaign) }, now);
  return report;
}

/** A staff member exports one chart's figures (audited with how many rows). */
export async function exportReport(
  db: Kysely<Database>,
  staffId: string,
  campaignId: string,
  key: string,
  now: Date,
): Promise<{ campaign: Campaign; key: string; rows: (string | number)[][] }> {
  const campaign = await requireReportCampaign(db, campaignId);
  if (!isReportKey(key)) throw ReportNotFound();
  const report = await buildCampaignReport(db, campaign);
  const rows = reportRows(report.charts.find((c) => c.key === key)!);
  const details = { report: key, rows: rows.length - 1 };
  await audit(db, { staffId, action: 'report.export', ...campaignTarget(campaign), details }, now);
  return { campaign, key, rows };
}
