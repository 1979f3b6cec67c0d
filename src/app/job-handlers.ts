import { UnrecoverableError } from 'bullmq';
import { exportAuditHead } from '../audit/audit.service.js';
import { configureAudit } from '../audit/audit.settings.js';
import { runImportRun } from '../imports/import-runs.service.js';
import { checkPoolStock } from '../pools/pools.stock.js';
import { closeDueCampaigns, checkDeadlines } from '../purge/deadline.service.js';
import { eraseDue } from '../erasure/erasure.service.js';
import { purgeDueCampaigns } from '../purge/purge.service.js';
import { exportSuppressionList } from '../erasure/suppression.service.js';
import { PermanentIssueError } from '../fulfilment/emoney/emoney.source.js';
import { fulfilOverdue, type EmoneySources } from '../fulfilment/fulfilment.service.js';
import { createBatchedFulfiller } from '../fulfilment/fulfilment.batch.js';
import { cutShippingBatches } from '../fulfilment/shipping.service.js';
import type { JobDeps } from '../platform/job-deps.js';
import type { JobName, JobPayloads } from '../platform/queues.js';
import { withoutMessage } from '../platform/safe-errors.js';
import { sweepUploads } from '../platform/upload-sweep.js';
import { sweepAllIdempotencyKeys } from '../api/idempotency.service.js';
import { sweepLoginThrottle } from '../auth/throttle-sweep.service.js';

export type Handlers = { [N in JobName]: (data: JobPayloads[N]) => Promise<unknown> };

/** BullMQ's own control-flow errors pass as they are. */
const BULLMQ_SIGNALS = new Set(['DelayedError', 'WaitingChildrenError', 'WaitingError', 'RateLimitError']);

/**
 * What a failed job throws reaches the worker's log and BullMQ's failed reason (kept in Redis, shown
 * on the console's jobs page): its type and code only, never a message, which may quote the values
 * PostgreSQL refused. An unrecoverable error stays unrecoverable.
 */
function safely<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof Error && BULLMQ_SIGNALS.has(err.name)) throw err;
      if (err instanceof UnrecoverableError || err instanceof PermanentIssueError)
        throw withoutMessage(err, (m) => new UnrecoverableError(m));
      throw withoutMessage(err, (m) => new Error(m));
    }
  };
}

/** Thin processors: each calls one domain service. The type forces a handler for every job name. */
export function createHandlers(deps: JobDeps, sources: EmoneySources): Handlers {
  configureAudit(deps.config);
  // Jobs in hand share their reads and commits (each still completes only after its own commit).
  const fulfil = createBatchedFulfiller(deps, sources);
  const handlers: Handlers = {
    fulfil: ({ redemptionId }) => fulfil(redemptionId),
    'fulfil-pending': () => fulfilOverdue(deps, sources),
    'cut-batches': () => cutShippingBatches(deps),
    erase: () => eraseDue(deps),
    close: () => closeDueCampaigns(deps),
    purge: () => purgeDueCampaigns(deps),
    'check-deadlines': () => checkDeadlines(deps),
    'export-suppression': () => exportSuppressionList(deps),
    'import-customers': ({ importRunId }) => runImportRun(deps, importRunId),
    'check-pool-stock': () => checkPoolStock(deps),
    'export-audit-head': () => exportAuditHead(deps.db),
    'sweep-uploads': () => sweepUploads(deps),
    'sweep-api-keys': () => sweepAllIdempotencyKeys(deps),
    'sweep-login-throttle': () => sweepLoginThrottle(deps),
  };
  return Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [name, safely(fn as (d: unknown) => Promise<unknown>)]),
  ) as Handlers;
}

export function isJobName(name: string, handlers: Handlers): name is JobName {
  return Object.hasOwn(handlers, name);
}
