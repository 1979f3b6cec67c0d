import type { Db } from '../platform/database.js';
import { getPublicCampaign, type Campaign } from './campaign.service.js';

/**
 * Campaign definitions are read on every customer request but change rarely; a few seconds of
 * staleness is fine because deadlines are always checked against the clock, not the cache.
 */
export class CampaignCache {
  private readonly entries = new Map<string, { campaign: Campaign; until: number }>();
  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5_000,
  ) {}

  async get(slug: string): Promise<Campaign> {
    const hit = this.entries.get(slug);
    if (hit && hit.until > Date.now()) return hit.campaign;
    const campaign = await getPublicCampaign(this.db, slug);
    this.entries.set(slug, { campaign, until: Date.now() + this.ttlMs });
    return campaign;
  }

  invalidate(slug?: string): void {
    if (slug) this.entries.delete(slug);
    else this.entries.clear();
  }
}
