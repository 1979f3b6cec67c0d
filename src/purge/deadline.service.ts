import { jstDay } from '../platform/jst.js';
import type { JobDeps } from '../platform/jobDeps.js';
import { purgeRiskItems } from '../platform/metrics.js';
import {
  closeCampaignsPastDeadline,
  countPurgeRisks,
  listCampaignsNearPurge,
  type PurgeRiskCounts,
} from './deadline.repo.js';
import { resolveAlertsExcept, upsertOpenAlert } from '../alerts/alert.repo.js';

const DAY_MS = 86_400_000;

/** At the procedure deadline the campaign closes; customers then see the closed notice. */
export async function closeDueCampaigns(
  deps: Pick<JobDeps, 'db' | 'logger' | 'now'>,
): Promise<{ closed: string[] }> {
  const closed = await closeCampaignsPastDeadline(deps.db, deps.now());
  for (const c of closed) deps.logger.info({ campaign: c.slug }, 'campaign closed at its procedure deadline');
  return { closed: closed.map((c) => c.id) };
}

export type PurgeRiskKind = keyof PurgeRiskCounts;

/** What each kind of leftover means to an operator (the banner), worded without personal data. */
const RISK_TEXT: Record<PurgeRiskKind, string> = {
  unshipped_book_cards: '未発送の図書カード',
  unfulfilled_emoney: '未発行の電子マネーギフト',
  unbooked_donations: '未計上の寄付',
  pending_erasures: '未実施の個人情報消去',
  unexported_optouts: '未連携の営業停止（マーケティング停止）依頼',
};
export const PURGE_RISK_KINDS = Object.keys(RISK_TEXT) as PurgeRiskKind[];

export interface PurgeRisk {
  campaignId: string;
  kind: string;
  count: number;
}

/**
 * For campaigns whose purge deadline is less than PURGE_ALERT_DAYS away (or past, if the purge has
 * not run): counts what still needs personal data and would either hold the purge up or be lost by
 * it. Each kind with a count raises (or keeps) one open alert — banner, warning log, gauge — days
 * before the deadline, not after; kinds back to zero are resolved. `campaignId` limits the check to
 * one campaign (a console button, or tests with their own clock).
 */
export async function checkDeadlines(
  deps: Pick<JobDeps, 'db' | 'logger' | 'now' | 'config'>,
  opts: { campaignId?: string } = {},
): Promise<PurgeRisk[]> {
  const now = deps.now();
  const until = new Date(now.getTime() + deps.config.PURGE_ALERT_DAYS * DAY_MS);
  const risks: PurgeRisk[] = [];
  for (const campaign of await listCampaignsNearPurge(deps.db, until, opts.campaignId)) {
    const counts = await countPurgeRisks(deps.db, campaign.id);
    const daysLeft = Math.ceil((campaign.purgeDeadlineAt.getTime() - now.getTime()) / DAY_MS);
    for (const kind of PURGE_RISK_KINDS) {
      const count = counts[kind];
      purgeRiskItems.set({ campaign: campaign.slug, kind }, count);
      if (count === 0) continue;
      risks.push({ campaignId: campaign.id, kind, count });
      const message =
        `${campaign.slug}: ${RISK_TEXT[kind]}が ${count} 件あります。消去期限 ${jstDay(campaign.purgeDeadlineAt)}` +
        `（残り ${Math.max(daysLeft, 0)} 日）までに処理しないと、個人情報が期限を越えて残るか、消去で失われます。`;
      await upsertOpenAlert(deps.db, { campaignId: campaign.id, kind, message, at: now });
      deps.logger.warn(
        {
          campaign: campaign.slug,
          kind,
          count,
          purgeDeadline: campaign.purgeDeadlineAt.toISOString(),
          daysLeft,
        },
        'purge deadline at risk',
      );
    }
  }
  await resolveAlertsExcept(deps.db, {
    kinds: PURGE_RISK_KINDS,
    keep: risks,
    at: now,
    campaignId: opts.campaignId,
  });
  return risks;
}
