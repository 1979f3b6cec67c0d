import type { Kysely } from 'kysely';
import { audit } from '../audit/audit.service.js';
import { endOfDayJst } from '../campaigns/campaign.schema.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import type { Database } from '../platform/database.js';
import { jstDay } from '../platform/jst.js';
import { ppcFigures, type PpcCounts } from './ppc.figures.js';
import { PpcBadAsOf } from './ppc.errors.js';
import { PPC_TEXT } from './ppc.messages.js';
import type { PpcIncident, PpcReport } from './ppc.model.js';
import {
  contactRequestFigures,
  countErased,
  countNotified,
  lettersIssued,
  notifiedByLeakedItem,
  optOutFigures,
  redemptionFigures,
} from './ppc.repo.js';
import { ReportCampaignNotFound } from './reports.errors.js';
import { findReportCampaign } from './reports.service.js';

/**
 * The figures a breach report to the Personal Information Protection Commission asks for (the
 * preliminary report within days, the final one within 30 days), as of the end of a day in Japan.
 * Aggregates only; every view and export is audited like the campaign report.
 */

/** The day asked for ('YYYY-MM-DD', a real date), or today in Japan when none is given. */
export function parseAsOfDay(asked: unknown, now: Date): string {
  if (asked === undefined || asked === '') return jstDay(now);
  const day = String(asked);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(endOfDayJst(day).getTime())) throw PpcBadAsOf();
  if (jstDay(endOfDayJst(day)) !== day) throw PpcBadAsOf();
  return day;
}

function incidentOf(campaign: Campaign): PpcIncident {
  const d = campaign.def;
  const { name, freeDial, hours, period } = d.contactCentre;
  return {
    companyName: d.companyName,
    title: d.title,
    summary: d.incidentSummary,
    leakedItems: d.leakedItems.map((i) => i.label),
    leakedNotes: d.leakedNotes,
    contactCentre: { name, freeDial, hours, period },
    deadline: d.deadline,
  };
}

/** Every count from one read-only snapshot, so the figures agree with each other. */
async function countAsOf(db: Kysely<Database>, campaignId: string, asOf: Date): Promise<PpcCounts> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => ({
      notified: await countNotified(trx, campaignId, asOf),
      byLeakedItem: await notifiedByLeakedItem(trx, campaignId, asOf),
      letters: await lettersIssued(trx, campaignId, asOf),
      redemptions: await redemptionFigures(trx, campaignId, asOf),
      erased: await countErased(trx, campaignId, asOf),
      optOuts: await optOutFigures(trx, campaignId, asOf),
      requests: await contactRequestFigures(trx, campaignId, asOf),
    }));
}

export async function buildPpcReport(
  db: Kysely<Database>,
  campaign: Campaign,
  asOfDay: string,
): Promise<PpcReport> {
  const counts = await countAsOf(db, campaign.id, endOfDayJst(asOfDay));
  return {
    campaign: { id: campaign.id, slug: campaign.slug, companyName: campaign.def.companyName },
    asOfDay,
    incident: incidentOf(campaign),
    figures: ppcFigures(campaign, counts),
  };
}

/** A staff member reads (or, with `exported`, downloads) the report of a campaign; audited either way. */
export async function ppcReportFor(
  db: Kysely<Database>,
  request: { staffId: string; campaignId: string; asOfDay: string; exported: boolean },
  now: Date,
): Promise<PpcReport> {
  const campaign = await findReportCampaign(db, request.campaignId);
  if (!campaign) throw ReportCampaignNotFound();
  const report = await buildPpcReport(db, campaign, request.asOfDay);
  const details = { report: 'ppc', asOf: request.asOfDay, rows: report.figures.length };
  await audit(
    db,
    {
      staffId: request.staffId,
      action: request.exported ? 'report.export' : 'report.view',
      targetType: 'campaign',
      targetId: campaign.id,
      campaignId: campaign.id,
      details,
    },
    now,
  );
  return report;
}

/** The incident's facts as label/text pairs (page and CSV alike). */
export function incidentFacts(incident: PpcIncident): [string, string][] {
  const F = PPC_TEXT.facts;
  const c = incident.contactCentre;
  return [
    [F.company, incident.companyName],
    [F.title, incident.title],
    [F.summary, incident.summary],
    [F.leakedItems, incident.leakedItems.join('、')],
    [F.leakedNotes, incident.leakedNotes.join(' ')],
    [F.contactCentre, `${c.name} ${c.freeDial}`],
    [F.hours, c.hours],
    [F.period, c.period ?? ''],
    [F.deadline, incident.deadline],
  ];
}

/** The CSV: the incident's facts, then every figure, exactly as the page lists them. */
export function ppcCsv(report: PpcReport): { header: string[]; rows: (string | number)[][] } {
  const C = PPC_TEXT.columns;
  return {
    header: [C.section, C.item, C.value],
    rows: [
      [PPC_TEXT.asOf, PPC_TEXT.asOf, report.asOfDay],
      ...incidentFacts(report.incident).map(([label, text]) => [PPC_TEXT.incident, label, text]),
      ...report.figures.map((f) => [f.section, f.item, f.value]),
    ],
  };
}
