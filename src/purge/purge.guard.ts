import type { CampaignRow } from '../campaigns/campaign.table.js';
import type { Db } from '../platform/database.js';
import {
  findLatestOverride,
  listUndeliveredGifts,
  type GiftCounts,
  type PurgeOverrideRow,
  type UndeliveredGift,
} from './purge-gifts.repo.js';
import type { GiftFate } from './purge.messages.js';

/**
 * The purge's guard: a gift still to be delivered needs the customer's personal data (a book card
 * its address), so the purge refuses to run while any is left, unless a supervisor recorded an
 * override naming those very gifts. A gift the override does not name (redeemed or entered later)
 * refuses the purge again.
 */

export interface UndeliveredAssessment {
  gifts: UndeliveredGift[];
  byKind: GiftCounts;
  override: PurgeOverrideRow | undefined;
  /** Undelivered gifts the override does not name (all of them without one). */
  uncovered: string[];
  refused: boolean;
  fate: GiftFate | null;
}

export const countByKind = (gifts: UndeliveredGift[]): GiftCounts => {
  const counts: GiftCounts = { book_card: 0, donation: 0, emoney: 0 };
  for (const g of gifts) counts[g.kind] += 1;
  return counts;
};

export async function assessUndelivered(db: Db, campaign: CampaignRow): Promise<UndeliveredAssessment> {
  const gifts = await listUndeliveredGifts(db, campaign.id);
  const override = gifts.length > 0 ? await findLatestOverride(db, campaign.id) : undefined;
  const named = new Set(override?.redemptionIds ?? []);
  const uncovered = gifts.map((g) => g.redemptionId).filter((id) => !named.has(id));
  // Once purged there is nothing left to protect: a re-run only reports what was lost.
  const purged = campaign.state === 'purged';
  const refused = !purged && uncovered.length > 0;
  const fate: GiftFate | null =
    gifts.length === 0
      ? null
      : purged
        ? 'already_purged'
        : refused
          ? 'kept_refused'
          : 'destroyed_with_override';
  return { gifts, byKind: countByKind(gifts), override, uncovered, refused, fate };
}
