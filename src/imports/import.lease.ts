import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { releaseImportLease, renewImportLease, takeImportLease, type LeaseHolding } from './import.repo.js';
import { ImportAlreadyRunning } from './imports.errors.js';

/**
 * One import per campaign at a time, as a lease row (import_leases) rather than a session's
 * advisory lock: the service may reach PostgreSQL through PgBouncer in transaction pooling mode,
 * where no session outlives a transaction. The holder renews it while it works; a crashed holder's
 * lease expires after LEASE_SECONDS and the next import of the campaign takes it over.
 */
export type ImportLease = Readonly<LeaseHolding>;

/** How long a crashed holder keeps the campaign locked; renewed well before. */
const LEASE_SECONDS = 30;
const RENEW_EVERY_MS = 10_000;
const WAIT_RETRY_MS = 500;

export class ImportLeaseLost extends Error {
  override name = 'ImportLeaseLost';
  constructor() {
    super('the import lease expired and was taken over; import aborted');
  }
}

/**
 * Runs `fn` holding the campaign's import lease, released after it. `wait`: waits until the lease
 * is free (runs of one campaign, a retried job beside a live copy of itself); `refuse`: throws
 * ImportAlreadyRunning.
 */
export async function withImportLease<T>(
  pool: pg.Pool,
  campaignId: string,
  whenHeld: 'wait' | 'refuse',
  fn: (lease: ImportLease) => Promise<T>,
): Promise<T> {
  const lease: ImportLease = { campaignId, holder: randomUUID() };
  while (!(await takeImportLease(pool, lease, LEASE_SECONDS))) {
    if (whenHeld === 'refuse') throw ImportAlreadyRunning();
    await sleep(WAIT_RETRY_MS);
  }
  const renewal = keepRenewed(pool, lease);
  try {
    return await fn(lease);
  } finally {
    await renewal.stop();
    // Should the delete fail, the lease expires on its own.
    await releaseImportLease(pool, lease).catch(() => undefined);
  }
}

/**
 * In a batch's transaction, just before COMMIT: renews the lease and keeps its row locked until
 * the commit, so no batch commits once another holder has taken the lease over.
 */
export async function confirmImportLease(client: pg.PoolClient, lease: ImportLease): Promise<void> {
  if (!(await renewImportLease(client, lease, LEASE_SECONDS))) throw new ImportLeaseLost();
}

/** Renews the lease every RENEW_EVERY_MS, one renewal after the other, until stopped. */
function keepRenewed(pool: pg.Pool, lease: ImportLease): { stop(): Promise<void> } {
  let stopped = false;
  let renewing: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(() => {
      // A failed renewal is not fatal here: the next batch's confirmImportLease decides.
      renewing = renewImportLease(pool, lease, LEASE_SECONDS)
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, RENEW_EVERY_MS);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await renewing;
    },
  };
}
