import path from 'node:path';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { JobDeps } from '../platform/jobDeps.js';
import { purgeRiskItems } from '../platform/metrics.js';
import { resolveAlertsExcept, upsertOpenAlert } from './deadline.repo.js';
import { PURGE_RISK_KINDS } from './deadline.service.js';
import { writeNewFile } from './erasure.files.js';
import type { PurgeCheck } from './purge.checks.js';
import { insertPurgeReport, markCampaignPurged, type CampaignDataCounts } from './purge.repo.js';

const PURGE_FAILED = 'purge_failed';

export type PurgeCounts = CampaignDataCounts & {
  manifest_files: number;
  suppression_files: number;
  redis_jobs: number;
};

/** What the purge did and how it proved it. Counts, times and places: never a personal value. */
export interface PurgeReport {
  campaignId: string;
  campaign: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Where the time went: sampling, counting, deleting, each check. */
  phasesMs: Record<string, number>;
  /** How many personal values were sampled before deletion and searched for afterwards. */
  sampledValues: number;
  countsBefore: PurgeCounts;
  countsAfter: PurgeCounts;
  checks: PurgeCheck[];
  passed: boolean;
  file?: string;
}

/**
 * Keeps the report twice: a JSON file for the auditors and a row for the console. A report that
 * passed marks the campaign purged and clears its alerts; one that failed raises an alert, and the
 * campaign stays due so the next run tries again.
 */
export async function recordPurgeReport(
  deps: JobDeps,
  campaign: CampaignRow,
  report: PurgeReport,
  startedAt: Date,
): Promise<void> {
  const stamp = report.startedAt.replace(/:/g, '-');
  report.file = await writeNewFile(
    path.join(deps.config.DATA_DIR, 'purge-reports'),
    `${campaign.slug}-${stamp}`,
    '.json',
    JSON.stringify(report, null, 2) + '\n',
  );
  const at = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertPurgeReport(trx, {
      campaignId: campaign.id,
      startedAt,
      finishedAt: new Date(report.finishedAt),
      report,
    });
    if (report.passed) {
      await markCampaignPurged(trx, campaign.id, at);
      await resolveAlertsExcept(trx, {
        kinds: [...PURGE_RISK_KINDS, PURGE_FAILED],
        keep: [],
        at,
        campaignId: campaign.id,
      });
    } else {
      const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
      const message = `${campaign.slug}: 個人情報の消去（パージ）の確認に失敗しました（${failed.join(' / ')}）。消去レポートを確認してください。`;
      await upsertOpenAlert(trx, { campaignId: campaign.id, kind: PURGE_FAILED, message, at });
    }
  });
  if (report.passed) {
    for (const kind of PURGE_RISK_KINDS) purgeRiskItems.set({ campaign: campaign.slug, kind }, 0);
    deps.logger.info(
      { campaign: campaign.slug, durationMs: report.durationMs, file: report.file },
      'campaign purged',
    );
  } else {
    deps.logger.error(
      {
        campaign: campaign.slug,
        failed: report.checks.filter((c) => !c.passed).map((c) => c.name),
        file: report.file,
      },
      'campaign purge checks failed',
    );
  }
}
