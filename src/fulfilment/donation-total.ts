import type { Db } from '../platform/database.js';
import { donationTotal } from './donation.repo.js';

/**
 * The public page shows the donation total on every view; a few seconds of staleness spares the
 * database one aggregate per page view under load.
 */
export class DonationTotalCache {
  private readonly entries = new Map<string, { value: { count: number; totalYen: number }; until: number }>();
  constructor(
    private readonly db: Db,
    private readonly ttlMs = 10_000,
  ) {}

  async get(campaignId: string): Promise<{ count: number; totalYen: number }> {
    const hit = this.entries.get(campaignId);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await donationTotal(this.db, campaignId);
    this.entries.set(campaignId, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
