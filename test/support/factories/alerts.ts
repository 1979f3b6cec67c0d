import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../../src/platform/deps.js';

/** An open alert of the campaign, as a job raises it. Returns its id. */
export async function buildAlert(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  kind: string,
  message = `${campaign.slug}: 確認してください。`,
): Promise<string> {
  const { id } = await deps.db
    .insertInto('alerts')
    .values({ campaign_id: campaign.id, kind, message, raised_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Resolves the campaign's open alerts: the banner is shared by every test file. */
export async function resolveAlerts(deps: Pick<AppDeps, 'db'>, campaign: Campaign): Promise<void> {
  await deps.db
    .updateTable('alerts')
    .set({ resolved_at: new Date() })
    .where('campaign_id', '=', campaign.id)
    .execute();
}
