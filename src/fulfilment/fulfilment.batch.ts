import type { IssuedCodeRow } from '../pools/emoney-codes.repo.js';
import type { AppDeps } from '../platform/deps.js';
import {
  findRedemptionsToFulfil,
  storeCodeAndMarkFulfilled,
  storeCodesAndMarkFulfilled,
  type RedemptionToFulfil,
} from './fulfilment.repo.js';
import {
  fulfilRedemption,
  type EmoneySources,
  type FulfilOutcome,
  type FulfilStore,
} from './fulfilment.service.js';

/**
 * The worker's fulfilment: many jobs in hand at once (one per vendor call in flight), so their
 * database work is shared. Loads within a few milliseconds go out as one query; vendor codes
 * received meanwhile are stored and their redemptions marked fulfilled in one statement and one
 * commit. Each job still waits for its own commit before it completes, so exactly-once holds as
 * before: a job whose batch failed is retried, and storing is idempotent per redemption.
 */

export interface MicroBatchOptions {
  /** Largest batch; a full batch goes out at once. */
  max: number;
  /** How long the first call of a batch waits for company. */
  windowMs: number;
}

/** Collects calls into batches; `run` answers a batch, and each caller gets its own result. */
export function microBatch<I, O>(
  run: (items: I[]) => Promise<O[]>,
  opts: MicroBatchOptions,
): (item: I) => Promise<O> {
  let pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    run(batch.map((p) => p.item)).then(
      (out) => batch.forEach((p, i) => p.resolve(out[i]!)),
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    );
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= opts.max) flush();
      else timer ??= setTimeout(flush, opts.windowMs);
    });
}

export const FULFIL_BATCH: MicroBatchOptions = { max: 200, windowMs: 5 };

/** Batched reads and commits for `fulfilRedemption`. */
export function batchedFulfilStore(
  deps: Pick<AppDeps, 'db'>,
  opts: MicroBatchOptions = FULFIL_BATCH,
): FulfilStore {
  const load = microBatch(async (ids: string[]): Promise<(RedemptionToFulfil | undefined)[]> => {
    const byId = new Map((await findRedemptionsToFulfil(deps.db, [...new Set(ids)])).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  }, opts);
  const store = microBatch(async (rows: IssuedCodeRow[]): Promise<(Error | undefined)[]> => {
    const unique = [...new Map(rows.map((r) => [r.redemption_id, r])).values()];
    try {
      await storeCodesAndMarkFulfilled(deps.db, unique);
      return rows.map(() => undefined);
    } catch {
      // One bad row (say a code the vendor issued twice) must not hold back the rest: each alone.
      return Promise.all(
        rows.map((row) =>
          storeCodeAndMarkFulfilled(deps.db, row).then(
            () => undefined,
            (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
          ),
        ),
      );
    }
  }, opts);
  return {
    load,
    async storeVendorCode(row) {
      const err = await store(row);
      if (err) throw err;
    },
  };
}

/** The `fulfil` job's handler in a worker: fulfilRedemption with batched reads and commits. */
export function createBatchedFulfiller(
  deps: Pick<AppDeps, 'db' | 'now'>,
  sources: EmoneySources,
): (redemptionId: string) => Promise<FulfilOutcome> {
  const store = batchedFulfilStore(deps);
  return (redemptionId) => fulfilRedemption(deps, sources, redemptionId, store);
}
