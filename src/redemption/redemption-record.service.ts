import { addToSuppressionList } from '../erasure/suppression.repo.js';
import type { Db } from '../platform/database.js';
import {
  addFulfilIntents,
  findRedemptionsByCustomers,
  insertRedemptionsOnce,
  type NewRedemption,
  type RedemptionOrigin,
} from './redemption.repo.js';
import type { RedemptionRow } from './redemption.table.js';

export type { NewRedemption, RedemptionOrigin } from './redemption.repo.js';

/** A customer's redemption was recorded now, or one was already there and stands. */
export type Recorded = { created: true; redemptionId: string } | { created: false; standing: RedemptionRow };

/**
 * Records redemptions, whatever the channel (the web, a keyed postcard, an OCR file's chunk), in
 * the caller's transaction: each customer gets at most one (the unique constraint settles every
 * race, with another card, another tab or the web: the loser finds the standing one); each new
 * one commits with its fulfilment intent (job id fulfil-<id>, so it runs once) and, when the
 * customer opted out of marketing, their entry on the suppression list. The caller has decided
 * data_choice: 'erasure' for a customer who had asked before, so never an opt-out then.
 * Set-based: a set of one costs one statement per step, a chunk of thousands the same.
 */
export async function recordRedemptions(
  trx: Db,
  origin: RedemptionOrigin,
  redemptions: readonly NewRedemption[],
): Promise<Map<string, Recorded>> {
  const created = await insertRedemptionsOnce(trx, origin, redemptions);
  const lost = redemptions.filter((r) => !created.has(r.customerId)).map((r) => r.customerId);
  const standing = await findRedemptionsByCustomers(trx, lost);
  await addFulfilIntents(trx, origin.campaignId, [...created.values()]);
  const optOuts = redemptions.filter((r) => created.has(r.customerId) && r.dataChoice === 'marketing_optout');
  await addToSuppressionList(
    trx,
    origin.campaignId,
    optOuts.map((r) => r.customerId),
    origin.at,
  );

  const recorded = new Map<string, Recorded>();
  for (const [customerId, redemptionId] of created) recorded.set(customerId, { created: true, redemptionId });
  for (const row of standing) recorded.set(row.customer_id, { created: false, standing: row });
  return recorded;
}

/** One redemption: the same statements as a set (see recordRedemptions). */
export async function recordRedemption(
  trx: Db,
  origin: RedemptionOrigin,
  redemption: NewRedemption,
): Promise<Recorded> {
  const recorded = await recordRedemptions(trx, origin, [redemption]);
  return recorded.get(redemption.customerId)!;
}
