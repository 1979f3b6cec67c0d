import { AppError, errorFactory, validationError } from '../platform/errors.js';
import { CAMPAIGN_TEXT } from './campaign.messages.js';

/**
 * Refusals of the campaigns domain. Those about form fields carry the message of each field under
 * the form's usual "check your input" (an errorFactory error has no fields, so they are made here).
 */
export const CampaignNotFound = errorFactory('not_found', (c) => c.campaign.notFound);
/** A purged campaign is kept as a record only. */
export const CampaignPurged = errorFactory('conflict', () => CAMPAIGN_TEXT.purgedReadOnly);

/** The definition check refused: messages by definition path ("options.emoney.brands.0.key"). */
export const DefinitionInvalid = (fields: Record<string, string>) =>
  new AppError('validation', () => CAMPAIGN_TEXT.definitionInvalid, { fields });
export const PurgeNotAfterDeadline = () =>
  DefinitionInvalid({ purgeDeadline: CAMPAIGN_TEXT.purgeAfterDeadline });
export const SlugTaken = (slug: string) =>
  new AppError('conflict', (c) => c.common.checkInput, { fields: { slug: CAMPAIGN_TEXT.slugTaken(slug) } });
/** Leaked items or brands still in use cannot be removed: messages by definition path. */
export const KeysInUse = (fields: Record<string, string>) => validationError(fields);
