import { auditRoutes } from '../audit/audit.routes.js';
import { campaignAdminRoutes } from '../campaigns/campaign-admin.routes.js';
import { contactRoutes } from '../customers/contact.routes.js';
import { donationRoutes } from '../fulfilment/donation.routes.js';
import { fulfilmentRoutes } from '../fulfilment/fulfilment-admin.routes.js';
import { reportsRoutes } from '../reports/reports.routes.js';
import { postcardRoutes } from '../postcards/postcard.routes.js';
import { jobsRoutes } from './jobs.routes.js';
import type { OpsRouterFactory } from './ops.routes.js';

/** Every section of the operators' console, mounted below /ops. */
export const OPS_SECTIONS_ROUTERS: OpsRouterFactory[] = [
  reportsRoutes,
  auditRoutes,
  fulfilmentRoutes,
  donationRoutes,
  jobsRoutes,
  contactRoutes,
  campaignAdminRoutes,
  postcardRoutes,
];
