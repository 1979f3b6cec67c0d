import { errorFactory } from '../platform/errors.js';
import { JOBS_TEXT } from './jobs.messages.js';

/** A known queue while the app runs without Redis. */
export const QueuesNotConnected = errorFactory('unavailable', () => JOBS_TEXT.notConnected);
export const QueueNotFound = errorFactory('not_found', (c) => c.common.notFound(JOBS_TEXT.queue));
export const JobNotFound = errorFactory('not_found', (c) => c.common.notFound(JOBS_TEXT.job));
