import type { LETTER_JA } from '../ja/letter.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const day = (isoDay: string) => {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${d} ${MONTHS[m! - 1]} ${y}`;
};

/** A letter that proves itself: the page its QR code opens, and the login's pre-filled code. */
export const LETTER_EN: typeof LETTER_JA = {
  pageTitle: 'Checking your letter',
  genuineHeading: 'This letter is genuine: it was issued by this service',
  genuineFor: (companyName, title) => `${companyName} sent you this letter for “${title}”.`,
  issuedOn: (isoDay) => `Issued on ${day(isoDay)}`,
  codeTailLabel: 'Last 4 characters of the registration code',
  codeTailHint: 'Please check that the registration code on your letter ends with these characters.',
  toLogin: 'Go to the login page',
  toLoginNote:
    'The login page will have your registration code filled in. To log in you still need the login key printed on your letter.',
  replacedHeading: 'This letter has been replaced by a newer one',
  replacedBody: (isoDay) =>
    `This letter was issued by this service, but a new letter was issued on ${day(isoDay)}, so the login key on this letter no longer works. Please use the new letter.`,
  replacedNotAsked: 'If you did not ask for a new letter, please call the contact centre below.',
  unknownHeading: 'This letter was not issued by this service',
  unknownBody:
    'This service has no record of issuing the letter with this QR code. Do not enter any information it asks for, and do not call the telephone numbers or write to the addresses printed on it.',
  unknownContact: (companyName) =>
    `If you are unsure, please ask ${companyName}’s official contact centre (below).`,
  unknownNoCampaign:
    'This service has no procedure at this address. The procedures this service handles, each with its official contact centre, are listed on the list of procedures.',
  campaignList: 'List of procedures',
  throttled: 'Too many checks. Please wait a while and try again.',
  prefilled: (tail) =>
    `Your registration code (ending ${tail}) was taken from the QR code on your letter. Please enter your login key.`,
  codeFromLetterHint:
    'Leave this empty to use the registration code from your letter’s QR code. Enter a code only to log in with a different one.',
};
