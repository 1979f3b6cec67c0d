import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { Db } from '../platform/database.js';
import { assessUndelivered, type UndeliveredAssessment } from './purge.guard.js';
import { purgeStartsAt } from './purge.impact.js';
import { PURGE_MESSAGES as M, type PurgeOutcome } from './purge.messages.js';
import { findLatestPurgeReport } from './purge.repo.js';

/** What the console's purge page of a campaign shows: when, what stands in the way, the last report. */
export interface PurgeStatus {
  purgeDeadlineAt: Date;
  startsAt: Date;
  undelivered: UndeliveredAssessment;
  latestReport: { id: string; result: string } | undefined;
}

export async function purgeStatus(db: Db, campaign: CampaignRow): Promise<PurgeStatus> {
  const [undelivered, latest] = await Promise.all([
    assessUndelivered(db, campaign),
    findLatestPurgeReport(db, campaign.id),
  ]);
  const outcome = (latest?.outcome ?? (latest?.passed ? 'passed' : 'failed')) as PurgeOutcome;
  const result = M.outcomeShort[outcome] ?? M.outcomeShort.failed;
  return {
    purgeDeadlineAt: campaign.purge_deadline_at,
    startsAt: purgeStartsAt(campaign.purge_deadline_at),
    undelivered,
    latestReport: latest ? { id: latest.id, result } : undefined,
  };
}
