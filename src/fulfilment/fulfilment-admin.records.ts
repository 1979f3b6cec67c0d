import type { Db } from '../platform/database.js';
import { PurgeReportNotFound } from './fulfilment.errors.js';
import {
  findPurgeReport,
  listDonationTotals,
  listLatestDonations,
  listPurgeReports,
} from './fulfilment-admin.repo.js';
import { PurgeReportViewSchema, type PurgeReportView } from './fulfilment-admin.schema.js';

/** The console's read-only records: the donation ledger and the purge reports. Nothing personal. */

/** Latest ledger entries shown under the totals. */
const LATEST_DONATIONS = 50;

export async function donationLedger(db: Db) {
  const [totals, latest] = await Promise.all([
    listDonationTotals(db),
    listLatestDonations(db, LATEST_DONATIONS),
  ]);
  return { totals, latest };
}

const PURGE_REPORTS_SHOWN = 200;

export const purgeReports = (db: Db) => listPurgeReports(db, PURGE_REPORTS_SHOWN);

export interface PurgeReportDetail {
  id: string;
  campaignSlug: string;
  startedAt: Date;
  finishedAt: Date;
  /** Undefined when the stored JSON is not in a shape this console knows: the raw text is shown. */
  report: PurgeReportView | undefined;
  raw: string;
}

export async function purgeReportDetail(db: Db, id: string): Promise<PurgeReportDetail> {
  const row = await findPurgeReport(db, id);
  if (!row) throw PurgeReportNotFound();
  const parsed = PurgeReportViewSchema.safeParse(row.report);
  return {
    id: row.id,
    campaignSlug: row.campaign_slug,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    report: parsed.success ? parsed.data : undefined,
    raw: JSON.stringify(row.report, null, 2),
  };
}
