import { randomUUID } from 'node:crypto';
import type { Campaign } from '../../src/campaigns/campaign.service.js';
import { recordPurgeOverride } from '../../src/purge/purge-override.service.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { buildRedemption } from './erasure-factories.js';
import { buildCustomer, type TestCustomer } from './factories.js';
import { buildStaff, type TestStaff } from './ops.js';

/** Gifts delivered the way the services deliver them, and undelivered ones, for the purge's guard. */

/** A donation booked in the ledger (what fulfilment does next to marking it fulfilled). */
export async function bookInLedger(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  redemptionId: string,
  at: Date,
): Promise<void> {
  await deps.db
    .insertInto('donation_ledger')
    .values({
      redemption_id: redemptionId,
      campaign_id: campaign.id,
      recipient: '寄付先',
      amount_yen: 500,
      booked_at: at,
    })
    .execute();
}

/** An e-money code stored for the redemption (a pool code allocated at the redemption). */
export async function giveEmoneyCode(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  redemptionId: string,
  at: Date,
): Promise<string> {
  const code = `PURGE-${randomUUID().slice(0, 12)}`;
  await deps.db
    .insertInto('emoney_codes')
    .values({
      campaign_id: campaign.id,
      brand: 'edy',
      code,
      amount_yen: 500,
      redemption_id: redemptionId,
      allocated_at: at,
    })
    .execute();
  return code;
}

export interface GiftsOfEveryKind {
  customers: TestCustomer[];
  /** Redemption ids of gifts not delivered yet, in id order. */
  undelivered: string[];
  delivered: string[];
  /** The e-money code of the delivered pool redemption (must never appear in a report). */
  emoneyCode: string;
}

/**
 * Each kind twice: a book card not shipped and one shipped; a donation not in the ledger (though
 * marked fulfilled) and one booked; e-money without a code and one with its pool code (but not yet marked fulfilled).
 */
export async function giftsOfEveryKind(
  deps: Pick<AppDeps, 'db' | 'config'>,
  campaign: Campaign,
  at: Date,
): Promise<GiftsOfEveryKind> {
  const customers = await Promise.all(Array.from({ length: 6 }, () => buildCustomer(deps, campaign)));
  const [a, b, c, d, e, f] = customers as [TestCustomer, ...TestCustomer[]];
  const unshipped = await buildRedemption(deps, campaign, a, { option: 'book_card' });
  const shipped = await buildRedemption(deps, campaign, b!, { option: 'book_card', fulfilledAt: at });
  // Marked fulfilled but never booked: what counts for a donation is the ledger.
  const unbooked = await buildRedemption(deps, campaign, c!, { option: 'donation', fulfilledAt: at });
  const booked = await buildRedemption(deps, campaign, d!, { option: 'donation', fulfilledAt: at });
  await bookInLedger(deps, campaign, booked, at);
  const unissued = await buildRedemption(deps, campaign, e!, { option: 'emoney' });
  const issued = await buildRedemption(deps, campaign, f!, { option: 'emoney' });
  const emoneyCode = await giveEmoneyCode(deps, campaign, issued, at);
  return {
    customers,
    undelivered: [unshipped, unbooked, unissued],
    delivered: [shipped, booked, issued],
    emoneyCode,
  };
}

/** A supervisor's override, recorded through the service the console uses. */
export async function overrideAsSupervisor(
  deps: Pick<AppDeps, 'db' | 'now'>,
  campaign: Campaign,
  reason = '図書カードの発送業者が廃業し、再発送できないため。法務部長の承認済み（文書番号 L-123）。',
): Promise<{ staff: TestStaff; id: string; count: number }> {
  const staff = await buildStaff(deps, 'supervisor');
  const result = await deps.db.transaction().execute((trx) =>
    recordPurgeOverride(trx, {
      campaignId: campaign.id,
      staff: { id: staff.id, role: staff.role },
      reason,
      confirmed: true,
      at: deps.now(),
    }),
  );
  return { staff, ...result };
}
