import type { AUTH_JA } from '../ja/auth.js';

/** The customer's log-in: neutral failures (they never say which of code or key was wrong). */
export const AUTH_EN: typeof AUTH_JA = {
  failed:
    'The registration code or login key is not correct. Please check the letter we sent you and enter them again.',
  locked: (minutes, centre) =>
    `Because of repeated unsuccessful attempts, logging in with this registration code has been temporarily suspended. Please try again in about ${minutes} minutes, or call our contact centre (toll-free ${centre.freeDial}).`,
  throttled: 'There have been too many login attempts. Please wait a while and try again.',
  loginAgain: 'Please log in again.',
  enterCode: 'Please enter your registration code.',
  codeTooLong: 'The registration code is too long.',
  enterKey: 'Please enter your login key.',
  keyTooLong: 'The login key is too long.',
  page: {
    title: 'Log in',
    closed: 'We are no longer accepting requests. You can still log in to check the status of your request.',
    lead: 'Please enter the “registration code” and the “login key” printed on the letter (address sheet) we sent you.',
    lenient:
      'Full-width or half-width characters, capital or small letters, hyphens and spaces are all accepted.',
    codeLabel: 'Registration code',
    codeHint: 'For example: ABCD-EFGH-JKMN (12 letters and digits)',
    keyLabel: 'Login key',
    keyHint: '12 letters and digits (the digits 0 and 1 and the letters I, L and O are not used)',
    submit: 'Log in',
    lost: 'If you have lost the letter or cannot log in, please contact us at the number below.',
  },
};
