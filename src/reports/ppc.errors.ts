import { errorFactory } from '../platform/errors.js';
import { PPC_TEXT } from './ppc.messages.js';

/** An as-of day that is not a real 'YYYY-MM-DD' date. */
export const PpcBadAsOf = errorFactory('validation', () => PPC_TEXT.badAsOf);
