import { SessionCodec } from '../auth/session.js';
import { CampaignCache } from '../campaigns/campaign.cache.js';
import type { AppDeps } from '../platform/deps.js';

/** How much the API lets through (tests lower them). */
export interface ApiOptions {
  /** Requests per minute per client address (customers and anything without an operator token). */
  clientPerMinute: number;
  /** Requests per minute per operator token. */
  tokenPerMinute: number;
  /** Opt-outs younger than this are not listed yet (their transactions may still be committing). */
  suppressionSettleSeconds: number;
}

export const DEFAULT_API_OPTIONS: ApiOptions = {
  clientPerMinute: 60,
  tokenPerMinute: 600,
  suppressionSettleSeconds: 60,
};

/**
 * The customer's API bearer token: the same signed session and session row as the web's cookie
 * (logout, a new login key and an erasure end both), under an audience of its own so that neither
 * token is taken for the other.
 */
export const CUSTOMER_API_AUDIENCE = 'owabi:customer-api';

/** What every API router receives. */
export interface ApiContext {
  deps: AppDeps;
  sessions: SessionCodec;
  campaigns: CampaignCache;
  options: ApiOptions;
}

export function apiContext(deps: AppDeps, options: Partial<ApiOptions> = {}): ApiContext {
  return {
    deps,
    sessions: new SessionCodec(
      deps.config.SESSION_SECRET,
      deps.config.SESSION_MINUTES,
      CUSTOMER_API_AUDIENCE,
    ),
    campaigns: new CampaignCache(deps.db),
    options: { ...DEFAULT_API_OPTIONS, ...options },
  };
}
