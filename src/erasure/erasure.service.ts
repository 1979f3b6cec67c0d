import type { JobDeps } from '../platform/job-deps.js';
import { CustomerNotFound } from './erasure.errors.js';
import {
  eraseCustomer,
  eraseDueBatch,
  listUnpurgedCampaignIds,
  type ErasedCustomer,
} from './erasure.repo.js';

/**
 * Small enough that one batch holds its row locks for a fraction of a second, so a customer who
 * logs in meanwhile is never kept waiting; large enough that per-statement overhead is negligible.
 */
export const ERASE_BATCH_SIZE = 20_000;

/**
 * Runners working side by side: one runner keeps one database core busy (the tombstone update and
 * its index entries are the cost), two use the two cores the service is sized for. SKIP LOCKED lets
 * them share the rows without waiting on each other.
 */
export const ERASE_RUNNERS = 2;

/**
 * Erases every customer who is due: redemption fulfilled and erasure chosen (or asked for before
 * the letter). Personal rows are deleted; the tombstone keeps campaign, redemption, dates and gets
 * a receipt number. Each batch is its own statement (and transaction), so progress survives a crash
 * and other runners (here or in another worker) can work side by side. A batch another runner holds
 * is skipped, not awaited; if that runner fails, the next scheduled run picks its rows up.
 */
export async function eraseDue(
  deps: Pick<JobDeps, 'db' | 'logger' | 'now'>,
  opts: { campaignId?: string; batchSize?: number; runners?: number } = {},
): Promise<{ erased: number }> {
  const limit = opts.batchSize ?? ERASE_BATCH_SIZE;
  const campaignIds = opts.campaignId ? [opts.campaignId] : await listUnpurgedCampaignIds(deps.db);
  let erased = 0;
  // Campaign by campaign: customers and their personal data are partitioned by campaign.
  for (const campaignId of campaignIds) {
    const runOne = async () => {
      let n = 0;
      for (let after = '0'; ;) {
        const batch = await eraseDueBatch(deps.db, {
          campaignId,
          afterCustomerId: after,
          limit,
          at: deps.now(),
        });
        n += batch.erased;
        if (batch.lastCustomerId === null) return n;
        after = batch.lastCustomerId;
      }
    };
    const counts = await Promise.all(Array.from({ length: opts.runners ?? ERASE_RUNNERS }, runOne));
    erased += counts.reduce((a, b) => a + b, 0);
  }
  if (erased > 0) deps.logger.info({ erased, campaignId: opts.campaignId }, 'erasure: personal data erased');
  return { erased };
}

/**
 * Erases one customer at once, whatever the state of their redemption: a request made to the
 * contact centre. Idempotent: a second call returns the first receipt.
 */
export async function eraseCustomerNow(
  deps: Pick<JobDeps, 'db' | 'logger' | 'now'>,
  customerId: string,
): Promise<ErasedCustomer> {
  const result = await deps.db.transaction().execute((trx) => eraseCustomer(trx, customerId, deps.now()));
  if (!result) throw CustomerNotFound();
  deps.logger.info({ customerId, receipt: result.receipt }, 'erasure: customer erased on request');
  return result;
}
