import { jstDay } from '../platform/jst.js';
import type { JobDeps } from '../platform/job-deps.js';
import { purgeRiskItems } from '../platform/metrics.js';
import { raiseAlert, resolveAlertsExcept } from '../alerts/alert.service.js';
import { closeCampaignsPastDeadline, countPurgeRisks, listCampaignsNearPurge } from './deadline.repo.js';
import { PURGE_RISK_KINDS } from './purge.alerts.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';

const DAY_MS = 86_400_000;

/** At the procedure deadline the campaign closes; customers then see the closed notice. */
export async function closeDueCampaigns(
  deps: Pick<JobDeps, 'db' | 'logger' | 'now'>,
): Promise<{ closed: string[] }> {
  const closed = await closeCampaignsPastDeadline(deps.db, deps.now());
  for (const c of closed) deps.logger.info({ campaign: c.slug }, 'campaign closed at its procedure deadline');
  return { closed: closed.map((c) => c.id) };
}

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
      const message = M.alert.atRisk(
        campaign.slug,
        M.alert.risks[kind],
        count,
        jstDay(campaign.purgeDeadlineAt),
        Math.max(daysLeft, 0),
      );
      await raiseAlert(deps.db, { campaignId: campaign.id, kind, message, at: now });
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
