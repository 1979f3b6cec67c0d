import { audit } from '../audit/audit.service.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { AppDeps } from '../platform/deps.js';
import { CSV_BOM, csvFileName, csvLine, csvLines } from '../platform/csv.js';
import { jstCsvDateTime, jstStamp } from '../platform/jst.js';
import { listDonationPage, sumDonations } from './donation.repo.js';
import { DONATION_TEXT } from './donation.messages.js';

/** Ledger lines read per query: a million donations stream in steady memory. */
const PAGE_SIZE = 5_000;

export interface DonationLedgerExport {
  filename: string;
  /** The CSV (UTF-8 with a byte-order mark, CRLF lines), chunk by chunk. */
  chunks: AsyncIterable<string>;
}

async function* ledgerCsv(
  deps: Pick<AppDeps, 'db'>,
  campaignId: string,
  pageSize: number,
): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(DONATION_TEXT.csvHeader);
  for (let after = '0'; ;) {
    const page = await listDonationPage(deps.db, campaignId, after, pageSize);
    if (page.length === 0) return;
    yield csvLines(
      page.map((d) => [d.redemption_id, jstCsvDateTime(d.booked_at), d.recipient, d.amount_yen]),
    );
    after = page[page.length - 1]!.redemption_id;
  }
}

/**
 * The donation ledger of one campaign as a CSV file for the recipient: receipt number, booking
 * time (Japan), recipient, amount. Nothing about the donor. The export is audited before a byte
 * leaves; cells a spreadsheet would run as a formula are guarded (platform/csv).
 */
export async function exportDonationLedger(
  deps: Pick<AppDeps, 'db' | 'now'>,
  staffId: string | null,
  campaignId: string,
  opts: { pageSize?: number } = {},
): Promise<DonationLedgerExport> {
  const campaign = await findCampaignById(deps.db, campaignId);
  if (!campaign) throw CampaignNotFound();
  const totals = await sumDonations(deps.db, campaign.id);
  const at = deps.now();
  await audit(
    deps.db,
    {
      staffId,
      action: 'export.donation_ledger',
      targetType: 'campaign',
      targetId: campaign.id,
      campaignId: campaign.id,
      details: { rows: totals.count, totalYen: totals.totalYen },
    },
    at,
  );
  return {
    filename: csvFileName('donations', campaign.slug, jstStamp(at)),
    chunks: ledgerCsv(deps, campaign.id, opts.pageSize ?? PAGE_SIZE),
  };
}
