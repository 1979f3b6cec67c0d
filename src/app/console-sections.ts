import { apiTokenRoutes } from '../api/api-tokens.routes.js';
import { jobsRoutes, type QueueSource } from '../background/jobs.routes.js';
import { campaignAdminRoutes } from '../campaigns/campaign-admin.routes.js';
import { contactRoutes } from '../contact/contact.routes.js';
import { donationRoutes } from '../fulfilment/donation.routes.js';
import { fulfilmentRoutes } from '../fulfilment/fulfilment-admin.routes.js';
import { importRunRoutes } from '../imports/import-runs.routes.js';
import type { OpsRouterFactory } from '../operators/ops.routes.js';
import { poolRoutes } from '../pools/pools.routes.js';
import { postcardRoutes } from '../postcards/postcard.routes.js';
import { campaignPurgeRoutes } from '../purge/purge.routes.js';
import { purgeSoonWarning } from '../purge/purge.warning.js';
import { auditRoutes } from '../reports/audit-log.routes.js';
import { reportsRoutes } from '../reports/reports.routes.js';

/** Every section of the operators' console, mounted below /ops, in this order. */
export const consoleSections = (queues?: QueueSource): OpsRouterFactory[] => [
  reportsRoutes,
  auditRoutes,
  fulfilmentRoutes,
  donationRoutes,
  jobsRoutes(queues),
  contactRoutes,
  // Saving a campaign warns when its purge would come within days: the purge domain's check.
  (ctx) => campaignAdminRoutes(ctx, [purgeSoonWarning]),
  campaignPurgeRoutes,
  importRunRoutes,
  poolRoutes,
  postcardRoutes,
  apiTokenRoutes,
];
