import type { COMMON_JA } from '../ja/common.js';

/** Texts every page can show: generic errors of the HTTP layer. */
export const COMMON_EN: typeof COMMON_JA = {
  notFound: (what) => (what ? `${what} could not be found.` : 'The page could not be found.'),
  checkInput: 'Please check what you have entered.',
  csrf: 'This page has expired, or the request could not be accepted. We apologise for the inconvenience; please start again from the beginning.',
  unreadableRequest: 'We could not accept what was sent. Please check what you have entered.',
  unavailable:
    'The service is busy or temporarily unavailable. Your request has not been completed. Please wait a while and try again.',
  internal:
    'We are sorry, an error has occurred. Your request may not have been completed. Please wait a while and try again.',
};
