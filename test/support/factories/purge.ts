import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import { recordPurgeOverride } from '../../../src/purge/purge-override.service.js';
import { buildCustomer, type TestCustomer } from './customers.js';
import { bookInLedger } from './fulfilment.js';
import { giveEmoneyCode } from './pools.js';
import { buildRedemption, type RedemptionOverrides } from './redemptions.js';
import { buildStaff, type TestStaff } from './staff.js';

/** Gifts delivered the way the services deliver them, and undelivered ones, for the purge's guard. */

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
  const gift = async (customer: TestCustomer | undefined, o: RedemptionOverrides) =>
    (await buildRedemption(deps, { campaign, customer, ...o })).id;
  const unshipped = await gift(a, { option: 'book_card' });
  const shipped = await gift(b, { option: 'book_card', fulfilledAt: at });
  // Marked fulfilled but never booked: what counts for a donation is the ledger.
  const unbooked = await gift(c, { option: 'donation', fulfilledAt: at });
  const booked = await gift(d, { option: 'donation', fulfilledAt: at });
  await bookInLedger(deps, campaign, booked, at);
  const unissued = await gift(e, { option: 'emoney' });
  const issued = await gift(f, { option: 'emoney' });
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

/** A finished purge's report as the purge stores it; `report` is its JSON body. Returns its id. */
export async function buildPurgeReport(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  report: { startedAt: string; finishedAt: string } & Record<string, unknown>,
): Promise<string> {
  const { id } = await deps.db
    .insertInto('purge_reports')
    .values({
      campaign_id: campaign.id,
      started_at: new Date(report.startedAt),
      finished_at: new Date(report.finishedAt),
      report: JSON.stringify(report),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
