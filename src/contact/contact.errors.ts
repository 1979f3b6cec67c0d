import { AppError, errorFactory } from '../platform/errors.js';
import { CONTACT_TEXT } from './contact.messages.js';
import type { RequestKind } from './contact.tables.js';

/**
 * The contact centre's refusals (Japanese, from contact.messages.ts). Those that point at a form
 * field are plain functions: an error factory carries no fields.
 */

export const CustomerNotFound = errorFactory('not_found', (c) => c.common.notFound(CONTACT_TEXT.customer));
export const RequestNotFound = errorFactory('not_found', (c) =>
  c.common.notFound(CONTACT_TEXT.requestNotFound),
);

/** No customer has the registration code looked up. */
export const UnknownRegistrationCode = () =>
  new AppError('not_found', () => CONTACT_TEXT.notFound, {
    fields: { registrationCode: CONTACT_TEXT.notFoundField },
  });
/** Typed text that looks like personal data (`message` says what it looked like). */
export const NoteRefused = (message: string) =>
  new AppError('validation', () => message, { fields: { reason: message } });

export const LookupLimited = errorFactory('throttled', () => CONTACT_TEXT.lookupLimited);

export const CustomerErased = errorFactory('conflict', () => CONTACT_TEXT.erased);
export const AlreadyPending = errorFactory('conflict', (_c, kind: RequestKind) =>
  CONTACT_TEXT.alreadyPending(kind),
);
export const ErasureAfterDeliveryOnly = errorFactory('conflict', () => CONTACT_TEXT.erasureAfterDeliveryOnly);
export const ReissueGiftShown = errorFactory('conflict', () => CONTACT_TEXT.reissueGiftShown);
export const ReissueNoAddress = errorFactory('conflict', () => CONTACT_TEXT.reissueNoAddress);

/** A request opened by someone who neither asked for it nor decides. */
export const NotReviewer = errorFactory('forbidden', () => CONTACT_TEXT.notReviewer);
export const NotApprover = errorFactory('forbidden', () => CONTACT_TEXT.notApprover);
export const NotPending = errorFactory('conflict', () => CONTACT_TEXT.notPending);

export const LetterUnavailable = errorFactory('conflict', () => CONTACT_TEXT.letterUnavailable);
export const LetterByRequester = errorFactory('forbidden', () => CONTACT_TEXT.letterSelf);
export const LetterAlreadyDownloaded = errorFactory('conflict', () => CONTACT_TEXT.letterAlready);
