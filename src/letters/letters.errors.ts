import { errorFactory } from '../platform/errors.js';

/** Too many wrong tokens from this client: checking letters is paused for it. */
export const LetterCheckThrottled = errorFactory('throttled', (c) => c.letter.throttled);
