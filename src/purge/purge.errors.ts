import { errorFactory } from '../platform/errors.js';
import { PURGE_MESSAGES as M } from './purge.messages.js';

/** The purge's refusals; the texts live in purge.messages.ts (an unknown campaign: campaigns' own). */

/** Only a supervisor or an administrator may record an override. */
export const OverrideForbidden = errorFactory('forbidden', () => M.overrideForm.forbidden);
export const CampaignAlreadyPurged = errorFactory('conflict', () => M.overrideForm.purged);
/** Every gift is delivered: there is nothing an override could name. */
export const NothingToOverride = errorFactory('conflict', () => M.overrideForm.nothingToOverride);
