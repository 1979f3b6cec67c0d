import type { CAMPAIGN_JA } from '../ja/campaign.js';

/** A campaign's public pages (index, landing, FAQ, closed notice). */
export const CAMPAIGN_EN: typeof CAMPAIGN_JA = {
  closed: 'We are no longer accepting requests for our gift of apology.',
  notFound: 'This page could not be found. Please check the address.',
  index: { title: 'Requests', heading: 'Gift of Apology: request site' },
  closedPage: {
    title: 'Requests closed',
    heading: 'We are no longer accepting requests',
    endedBefore: 'Requests for our gift of apology closed on ',
    endedAfter: '. As no request was made by the deadline, a gift can no longer be chosen.',
    stillDelivering: (postmarkRule) =>
      `Gifts requested before the deadline will continue to be delivered. Postcard requests: ${postmarkRule}`,
    erasure:
      'We will erase all of your personal information by the set deadline. If you have any questions, please contact us at the number below.',
  },
  faq: {
    title: 'Frequently asked questions',
    heading: 'Frequently asked questions (FAQ)',
    back: 'Back to our apology and report',
  },
  landing: {
    ended: (date) => `Requests for our gift of apology closed on ${date}.`,
    endedLead:
      'Gifts are being delivered in turn to customers who have already made their request. Log in to see the status of your request and your e-money gift code.',
    deadlineLabel: 'Deadline: ',
    ctaBefore: 'Please make your request by ',
    ctaAfter: '.',
    start: 'Request your gift of apology',
    prepare:
      'Please have ready the “registration code” and the “login key” printed on the letter (address sheet) we sent you.',
    incidentHeading: 'What happened',
    leakedHeading: 'The information that was leaked',
    leakedLead:
      'We have confirmed that the following items of information were leaked in this incident. After logging in, you can see which items concern you.',
    giftHeading: 'Our gift of apology',
    giftLead:
      'To the customers we have caused concern, we would like to offer a small gift as a token of our apology. Please choose one of the following.',
    donationTotal: (count, amount, recipient) =>
      `So far we have donated ${amount} for ${count.toLocaleString('en-US')} ${count === 1 ? 'request' : 'requests'} (to ${recipient}).`,
    procHeading: 'How to make your request, and the deadline',
    webHeading: 'Online (computer or smartphone)',
    web: 'You will need your “registration code” and “login key”. They are printed on the address sheet of our letter; please have it ready when you start.',
    postcardHeading: 'By postcard',
    postcard:
      'For the book voucher or the donation, you can also fill in the postcard attached to the address sheet, cut it out and post it. The e-money gift can only be requested online.',
    postmark: (rule) => ` (${rule})`,
    dataHeading: 'Erasing your personal information, stopping our mailings',
    erasureAlready:
      'If you have already asked us to erase your personal information, we will erase it after sending your gift; you do not need to do anything further.',
    faqLink: 'Frequently asked questions (FAQ)',
  },
  options: {
    giftHeading: (productName, amount) => `${productName} (${amount})`,
    brands: 'Brands: ',
    donationHeading: (recipient, amount) => `A donation to ${recipient} (${amount})`,
  },
};
