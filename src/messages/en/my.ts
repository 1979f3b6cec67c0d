import type { MY_JA } from '../ja/my.js';

/** The logged-in customer's pages: what leaked, the choices, the confirmation, the status. */
export const MY_EN: typeof MY_JA = {
  leaked: {
    heading: 'Your information that was leaked',
    lead: 'We have confirmed that the following items of your information were leaked.',
  },
  choose: {
    title: 'Choose your gift',
    heading: 'Your gift of apology',
    optionLegend: 'Please choose one gift of apology',
    giftLabel: (productName, amount) => `${productName} (${amount})`,
    emoneyHint:
      'The code is shown as soon as your request is complete, and you can register (redeem) it straight away.',
    brandLegend: 'Type of e-money (if you chose the e-money gift)',
    addressLegend: 'Delivery address (if you chose the book voucher)',
    addressAsIs: 'Send it to this address',
    addressCorrect: 'Send it to a corrected address (please enter it below)',
    postalCodeLabel: 'Postal code (if correcting)',
    addressLabel: 'Address (if correcting; start with the prefecture)',
    donationLabel: (recipient, amount) => `A donation to ${recipient} (${amount})`,
    dataLegend: 'Future communications from us and the handling of your personal information',
    erasureAlready:
      'You have already asked us to erase your personal information. We will erase it after sending your gift; you do not need to do anything further.',
    dataChoices: {
      none: 'No change',
      marketing_optout: 'Stop sending me direct mail and making sales calls',
      erasure: 'Erase my personal information',
    },
    caution: 'Please note: ',
    toConfirm: 'Continue to confirmation',
  },
  honorific: (name) => name,
  summary: {
    gift: 'Gift of apology',
    delivery: 'Delivery address',
    corrected: ' (corrected)',
    data: 'Handling of your personal information',
    dataChoices: {
      none: 'No change',
      marketing_optout: 'Stop sending me direct mail and making sales calls',
      erasure: 'Erase my personal information after the gift has been sent',
    },
  },
  confirm: {
    title: 'Confirm your request',
    heading: 'Please confirm your request',
    lead: 'Your request will be made as shown below.',
    final:
      'An e-money gift cannot be changed once your request is complete. Until the book card is prepared for dispatch, the donation is made or your data is erased, you can switch between the book card and the donation, or change how we handle your personal information, on your status page.',
    submit: 'Submit this request',
    back: 'Go back and make changes',
  },
  status: {
    titleDone: 'Request complete',
    title: 'Your request',
    headingDone: 'Your request is complete',
    thanks:
      'Thank you for completing your request. Once again, we sincerely apologise for the great concern and inconvenience we have caused you.',
    heading: 'Your request',
    channels: { web: 'online', postcard: 'by postcard' },
    alreadyDone: (at, channel) => `Your request has already been completed (received ${at}, ${channel}).`,
    codeHeading: 'Your e-money gift code',
    codeHowTo: (brand) =>
      `Please enter this code on the registration (redemption) screen of the e-money you chose (${brand}). You can use it straight away.`,
    codeAgain:
      'You can see the code again at any time by logging in. Please do not share the code with anyone.',
    codePending: 'Your gift code is being issued. Please reload this page in a little while.',
    shipHeading: 'Delivery of your book voucher',
    shipped: (date) => `Sent on ${date}.`,
    shipPreparing: 'We are preparing to send it.',
    donationHeading: 'Donation',
    donation: (recipient, amount) => `In place of a gift, we will donate ${amount} to ${recipient}.`,
    donationDone: 'The donation has been made.',
    privacyHeading: 'Handling of your personal information',
    erased: (at) => `Your personal information was erased on ${at}.`,
    erasureReceipt: 'Erasure reference number: ',
    erasureAfterShipping: 'We will erase your personal information after sending your gift.',
    optedOut: 'We will stop sending you direct mail and making sales calls.',
    noChange: 'You have not asked for any change.',
  },
};
