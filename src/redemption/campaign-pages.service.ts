import { listPublicCampaigns } from '../campaigns/campaign.repo.js';
import type { Db } from '../platform/database.js';

/** The campaigns a visitor may open (open or closed), oldest first: the site's index lists them. */
export function listCampaignsForIndex(db: Db) {
  return listPublicCampaigns(db);
}
