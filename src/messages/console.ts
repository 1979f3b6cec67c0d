import { AUDIT_CONSOLE } from './console/audit.js';
import { COMMON_CONSOLE } from './console/common.js';
import { CAMPAIGNS_CONSOLE } from './console/campaigns.js';
import { IMPORTS_CONSOLE } from './console/imports.js';
import { POOLS_CONSOLE } from './console/pools.js';
import { CONTACT_CONSOLE } from './console/contact.js';
import { HOME_CONSOLE } from './console/home.js';
import { FULFILMENT_CONSOLE } from './console/fulfilment.js';
import { JOBS_CONSOLE } from './console/jobs.js';
import { PARTIALS_CONSOLE } from './console/partials.js';
import { POSTCARDS_CONSOLE } from './console/postcards.js';
import { REPORTS_CONSOLE } from './console/reports.js';

/**
 * The operators' console catalogue: the texts written in the console views (views/ops), one part per
 * section, one object per view. The console stays Japanese; views read it as the local `o`
 * (`<%= o.postcards.batch.title %>`), given by renderOps and renderOpsError (src/operators). Texts a
 * route composes (errors, staff and sign-in pages, API tokens) stay in the domains' `*.messages.ts`
 * and reach their views as `t`. test/console-catalogue.test.ts keeps Japanese out of the views.
 */
export const CONSOLE_JA = {
  audit: AUDIT_CONSOLE,
  common: COMMON_CONSOLE,
  campaigns: CAMPAIGNS_CONSOLE,
  imports: IMPORTS_CONSOLE,
  pools: POOLS_CONSOLE,
  contact: CONTACT_CONSOLE,
  home: HOME_CONSOLE,
  fulfilment: FULFILMENT_CONSOLE,
  jobs: JOBS_CONSOLE,
  partials: PARTIALS_CONSOLE,
  postcards: POSTCARDS_CONSOLE,
  reports: REPORTS_CONSOLE,
};

export type ConsoleCatalogue = typeof CONSOLE_JA;
