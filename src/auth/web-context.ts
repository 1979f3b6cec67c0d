import type { Request, Response } from 'express';
import type { CampaignCache } from '../campaigns/campaign.cache.js';
import type { SessionCodec } from './session.js';
import type { AppDeps } from '../platform/deps.js';

/** What every customer-facing router receives. */
export interface WebContext {
  deps: AppDeps;
  campaigns: CampaignCache;
  sessions: SessionCodec;
  csrfToken: (req: Request, res: Response) => string;
}
