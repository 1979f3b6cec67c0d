import type { LAYOUT_JA } from '../ja/layout.js';

/** The frame of every customer page: header, footer, language switch, contact centre, warnings. */
export const LAYOUT_EN: typeof LAYOUT_JA = {
  siteName: 'Gift of Apology',
  siteSub: 'Gift of Apology: request site',
  siteTitle: (companyName) => `${companyName}: Gift of Apology`,
  skipToMain: 'Skip to main content',
  logout: 'Log out',
  languageNav: 'Language',
  switchTo: { ja: '日本語', en: 'English' },
  /** Before a note. */
  noteMark: '* ',
  faqLink: 'Frequently asked questions',
  phishShortLabel: 'Please note: ',
  phishShort: (companyName) =>
    `${companyName} will never ask for your credit card number, PIN or password by email or telephone.`,
  freeDial: 'Toll-free',
  period: 'Service period: ',
  fallbackNote: 'If you cannot get through, please call this number instead.',
  phish: {
    heading: 'Beware of impersonation and phishing',
    neverAskBefore: (companyName) => `${companyName} will `,
    neverAskStrong: 'never',
    neverAskAfter:
      ' ask for your credit card number, its expiry date, your PIN or a password by email, telephone or post.',
    onlyCodes:
      'The only things you enter in this process are the “registration code” and the “login key” printed on the letter we sent you.',
    checkAddress:
      'Before you start, please check the address shown in your browser’s address bar and the padlock icon. Do not open this site from a link in a suspicious email.',
    suspicious:
      'If you receive a suspicious call or email, do not give any personal information, and please contact us at the number below.',
  },
  steps: { label: 'Steps of your request', names: ['Enter', 'Confirm', 'Done'] },
  japaneseOnly: 'This part is available in Japanese only.',
  error: {
    title: 'Error',
    notFound: 'Page not found',
    unavailable: 'Temporarily unavailable',
    failed: 'We could not continue with your request',
    backToTop: 'Back to the top page',
  },
};
