import { UnrecoverableError } from 'bullmq';
import { runImportRun } from '../src/campaigns/import-runs.service.js';
import { checkPoolStock } from '../src/campaigns/pools.stock.js';
import { closeDueCampaigns, checkDeadlines } from '../src/erasure/deadline.service.js';
import { eraseDue } from '../src/erasure/erasure.service.js';
import { purgeDueCampaigns } from '../src/erasure/purge.service.js';
import { exportSuppressionList } from '../src/erasure/suppression.service.js';
import { PermanentIssueError } from '../src/fulfilment/emoney/emoney.source.js';
import { fulfilPending, fulfilRedemption, type EmoneySources } from '../src/fulfilment/fulfilment.service.js';
import { cutShippingBatches } from '../src/fulfilment/shipping.service.js';
import type { JobDeps } from '../src/platform/jobDeps.js';
import type { JobName, JobPayloads } from '../src/platform/queues.js';

export type Handlers = { [N in JobName]: (data: JobPayloads[N]) => Promise<unknown> };

/** Thin processors: each calls one domain service. The type forces a handler for every job name. */
export function createHandlers(deps: JobDeps, sources: EmoneySources): Handlers {
  return {
    fulfil: async ({ redemptionId }) => {
      try {
        return await fulfilRedemption(deps, sources, redemptionId);
      } catch (e) {
        if (e instanceof PermanentIssueError) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    'fulfil-pending': () => fulfilPending(deps, sources),
    'cut-batches': () => cutShippingBatches(deps),
    erase: () => eraseDue(deps),
    close: () => closeDueCampaigns(deps),
    purge: () => purgeDueCampaigns(deps),
    'check-deadlines': () => checkDeadlines(deps),
    'export-suppression': () => exportSuppressionList(deps),
    'import-customers': ({ importRunId }) => runImportRun(deps, importRunId),
    'check-pool-stock': () => checkPoolStock(deps),
  };
}

export function isJobName(name: string, handlers: Handlers): name is JobName {
  return Object.hasOwn(handlers, name);
}
