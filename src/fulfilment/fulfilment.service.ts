import type { IssuedCodeRow } from '../pools/emoney-codes.repo.js';
import type { AppDeps } from '../platform/deps.js';
import { bookDonation } from './donation.service.js';
import type { EmoneySource } from './emoney/emoney.source.js';
import {
  findRedemptionToFulfil,
  listUnfulfilledIds,
  markFulfilled,
  storeCodeAndMarkFulfilled,
  type RedemptionToFulfil,
} from './fulfilment.repo.js';

export interface EmoneySources {
  pool: EmoneySource;
  /** Absent when no vendor is configured; campaigns that need it then fail loudly. */
  vendor?: EmoneySource;
}

/** How fulfilment reads a redemption and stores a vendor code: one by one, or batched (fulfilment.batch.ts). */
export interface FulfilStore {
  load(redemptionId: string): Promise<RedemptionToFulfil | undefined>;
  storeVendorCode(row: IssuedCodeRow): Promise<void>;
}

const directStore = (db: AppDeps['db']): FulfilStore => ({
  load: (id) => findRedemptionToFulfil(db, id),
  storeVendorCode: (row) => storeCodeAndMarkFulfilled(db, row),
});

export type FulfilOutcome = 'fulfilled' | 'already-fulfilled' | 'awaiting-shipment' | 'not-found';

/**
 * Delivers one redemption's gift. Safe to run any number of times, concurrently or after a crash at
 * any point: the state in PostgreSQL decides, and the e-money source is idempotent per redemption.
 */
export async function fulfilRedemption(
  deps: Pick<AppDeps, 'db' | 'now'>,
  sources: EmoneySources,
  redemptionId: string,
  store: FulfilStore = directStore(deps.db),
): Promise<FulfilOutcome> {
  const r = await store.load(redemptionId);
  if (!r) return 'not-found';
  if (r.fulfilled_at) return 'already-fulfilled';
  // Book cards are fulfilled when their shipping batch is marked shipped.
  if (r.option === 'book_card') return 'awaiting-shipment';

  if (r.option === 'emoney') {
    const useVendor = r.emoney_source === 'vendor';
    const source = useVendor ? sources.vendor : sources.pool;
    if (!source)
      throw new Error('campaign issues e-money through the vendor API, but EMONEY_VENDOR_URL is not set');
    // The HTTP call happens outside any transaction: no row lock is held while the vendor thinks.
    const code = await source.codeFor({
      redemptionId: r.id,
      campaignId: r.campaign_id,
      brand: r.brand!,
      amountYen: r.amount_yen,
    });
    if (useVendor) {
      await store.storeVendorCode({
        campaign_id: r.campaign_id,
        brand: r.brand!,
        code,
        amount_yen: r.amount_yen,
        redemption_id: r.id,
        at: deps.now(),
      });
    } else {
      await markFulfilled(deps.db, r.id, deps.now());
    }
    return 'fulfilled';
  }

  // Marked first, and only if still a donation: a customer switching to a book card meanwhile
  // (choice-change.service.ts) either committed before (nothing is booked) or waits and is refused.
  const marked = await deps.db.transaction().execute(async (trx) => {
    if (!(await markFulfilled(trx, r.id, deps.now(), 'donation'))) return false;
    await bookDonation(
      trx,
      { id: r.id, campaignId: r.campaign_id, amountYen: r.amount_yen },
      r.donation_recipient ?? 'donation',
      deps.now(),
    );
    return true;
  });
  return marked ? 'fulfilled' : 'already-fulfilled';
}

/**
 * How old a pending gift must be before the scheduled safety net delivers it. Younger ones are
 * their queued job's: the net ran at every worker start and every 10 minutes, and called the
 * vendor a second time for gifts whose jobs were in hand or still queued.
 */
export const SAFETY_NET_GRACE_MS = 10 * 60_000;

/**
 * Delivers every pending e-money and donation gift directly, without the queue: the command-line
 * run of the `fulfil` job and (with `redeemedBefore`, see SAFETY_NET_GRACE_MS) a safety net for
 * intents that never reached Redis or whose job gave up.
 */
export async function fulfilPending(
  deps: Pick<AppDeps, 'db' | 'now' | 'logger'>,
  sources: EmoneySources,
  concurrency = 16,
  opts: { redeemedBefore?: Date } = {},
): Promise<Record<FulfilOutcome | 'failed', number>> {
  const counts: Record<FulfilOutcome | 'failed', number> = {
    fulfilled: 0,
    'already-fulfilled': 0,
    'awaiting-shipment': 0,
    'not-found': 0,
    failed: 0,
  };
  let after = '0';
  for (;;) {
    const ids = await listUnfulfilledIds(deps.db, 1000, after, opts.redeemedBefore);
    if (ids.length === 0) return counts;
    after = ids[ids.length - 1]!;
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          counts[await fulfilRedemption(deps, sources, id)]++;
        } catch (err) {
          counts.failed++;
          deps.logger.warn(
            { redemptionId: id, err: { type: (err as Error).name, code: (err as { code?: string }).code } },
            'fulfilment failed; will retry',
          );
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }
}

/** The scheduled safety net: fulfilPending for gifts older than SAFETY_NET_GRACE_MS. */
export const fulfilOverdue = (deps: Pick<AppDeps, 'db' | 'now' | 'logger'>, sources: EmoneySources) =>
  fulfilPending(deps, sources, 16, { redeemedBefore: new Date(deps.now().getTime() - SAFETY_NET_GRACE_MS) });
