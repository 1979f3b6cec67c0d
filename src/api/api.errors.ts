import { errorFactory } from '../platform/errors.js';
import { apiText } from './api.messages.js';

/** The API's refusals; the domains' own errors (login, redemption, postcards…) pass through as they are. */
export const TokenInvalid = errorFactory('unauthenticated', (c) => apiText(c).tokenInvalid);
export const ScopeMissing = errorFactory('forbidden', (c) => apiText(c).scopeMissing);
export const IdempotencyKeyMissing = errorFactory('validation', (c) => apiText(c).idempotencyKeyMissing);
export const IdempotencyKeyReused = errorFactory('conflict', (c) => apiText(c).idempotencyKeyReused);
export const RateLimited = errorFactory('throttled', (c) => apiText(c).rateLimited);
export const JsonRequired = errorFactory('validation', (c) => apiText(c).notAcceptable);
export const BadCursor = errorFactory('validation', (c) => apiText(c).badCursor);
export const BadLimit = errorFactory('validation', (c) => apiText(c).badLimit);
export const BadCampaign = errorFactory('validation', (c) => apiText(c).badCampaign);
