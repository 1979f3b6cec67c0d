import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { JobDeps } from '../platform/job-deps.js';
import { purgeRiskItems } from '../platform/metrics.js';
import type { Db } from '../platform/database.js';
import { raiseAlert, resolveAlertsExcept } from '../alerts/alert.service.js';
import { PURGE_ALERT_KINDS, PURGE_FAILED, PURGE_REFUSED, PURGE_RISK_KINDS } from './purge.alerts.js';
import { putNewObject } from '../erasure/erasure.files.js';
import { objectKey } from '../platform/storage/storage.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';
import type { PurgeReport } from './purge.report.js';
import { insertPurgeReport, markCampaignPurged } from './purge.repo.js';

/**
 * Purge reports live outside the campaigns' prefixes: a purge deletes its campaign's prefix whole,
 * and must neither delete its earlier reports nor count its own as something left behind.
 */
export const purgeReportKey = (name: string) => objectKey('purge-reports', name);

/**
 * Keeps the report twice: a JSON file in the object store for the auditors (no personal data, so
 * not encrypted) and a row for the console. A report that passed marks the campaign purged and
 * clears its alerts; one that failed or was refused raises (or keeps) an alert, and the campaign
 * stays due so the next run tries again.
 */
export async function recordPurgeReport(
  deps: JobDeps,
  campaign: CampaignRow,
  report: PurgeReport,
  startedAt: Date,
): Promise<void> {
  const stamp = report.startedAt.replace(/:/g, '-');
  report.file = await putNewObject(
    deps.store,
    purgeReportKey,
    { base: `${campaign.slug}-${stamp}`, ext: '.json' },
    JSON.stringify(report, null, 2) + '\n',
    { contentType: 'application/json' },
  );
  const at = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertPurgeReport(trx, {
      campaignId: campaign.id,
      startedAt,
      finishedAt: new Date(report.finishedAt),
      report,
    });
    await settleAlerts(trx, campaign, report, at);
  });
  logOutcome(deps, campaign, report);
}

async function settleAlerts(trx: Db, campaign: CampaignRow, report: PurgeReport, at: Date): Promise<void> {
  if (report.outcome === 'passed') {
    await markCampaignPurged(trx, campaign.id, at);
    await resolveAlertsExcept(trx, { kinds: PURGE_ALERT_KINDS, keep: [], at, campaignId: campaign.id });
  } else if (report.outcome === 'refused') {
    const message = M.alert.refused(campaign.slug, report.undelivered?.uncovered.length ?? 0);
    await raiseAlert(trx, { campaignId: campaign.id, kind: PURGE_REFUSED, message, at });
  } else {
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => c.name);
    const message = M.alert.failed(campaign.slug, failed.length ? failed : [report.text.result]);
    await raiseAlert(trx, { campaignId: campaign.id, kind: PURGE_FAILED, message, at });
  }
}

/** Counts, ids and check ids only: never a personal value. */
function logOutcome(deps: JobDeps, campaign: CampaignRow, report: PurgeReport): void {
  const base = { campaign: campaign.slug, file: report.file };
  if (report.outcome === 'refused') {
    deps.logger.warn(
      { ...base, undelivered: report.undelivered?.byKind, uncovered: report.undelivered?.uncovered.length },
      'campaign purge refused: undelivered gifts',
    );
  } else if (report.outcome === 'failed') {
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => c.id);
    deps.logger.error({ ...base, failed }, 'campaign purge checks failed');
  } else {
    for (const kind of PURGE_RISK_KINDS) purgeRiskItems.set({ campaign: campaign.slug, kind }, 0);
    const overridden = report.undelivered?.fate === 'destroyed_with_override';
    deps.logger.info(
      {
        ...base,
        durationMs: report.durationMs,
        ...(overridden
          ? { destroyedWithOverride: report.undelivered?.total, overrideId: report.override?.id }
          : {}),
      },
      'campaign purged',
    );
  }
}
