import { FORMAT_EN } from './format.js';
/** The receipt (reference number) and the change of mind: completion, status and change pages. */

const dateJst = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

// Checked against the Japanese part where catalogue.ts builds EN (`EN: Catalogue`); no import back
// from catalogue.ts here, so no import cycle.
export const CHANGE_EN = {
  receipt: {
    heading: 'Your receipt',
    reference: 'Reference number',
    date: 'Date received',
    dateOf: (d: Date) => `${dateJst.format(d)} (Japan time)`,
    keep: 'Please quote the reference number when you contact us. You can print this page and keep it (use your browser’s print function).',
  },
  option: { emoney: 'E-money gift', book_card: 'Book voucher', donation: 'Donation' },
  dataChoice: {
    none: 'No change',
    marketing_optout: 'Stop direct mail and sales calls',
    erasure: 'Erase my personal information after the gift is sent',
  },
  status: {
    heading: 'Changing your request',
    canChangeOption: (to: string) => `You can change your gift to “${to}”.`,
    canChangeData: (to: string) => `You can change how we handle your personal information to “${to}”.`,
    untilDeadline: (d: Date) => `You can make changes until ${FORMAT_EN.dateTime(d)}.`,
    untilBookCardCut: 'A book voucher can be changed until we start preparing it for dispatch.',
    untilDonationBooked: 'A donation can be changed until it has been made.',
    untilErasure:
      'How we handle your personal information can be changed until the erasure has been carried out.',
    emoneyLocked: 'An e-money gift cannot be changed, as its code has been given to you.',
    nothing: 'There is nothing you can change at the moment.',
    link: 'Change your request',
    history: 'Changes made',
    historyEntry: (at: Date) => FORMAT_EN.dateTime(at),
    changedAddress: 'Delivery address changed',
  },
  page: {
    title: 'Change your request',
    confirmTitle: 'Check your changes',
    intro: 'Choose what you would like to change. Leave anything you want to keep as it is.',
    current: 'Your current request',
    optionLegend: 'Gift of apology',
    keepOption: (current: string) => `No change (${current})`,
    bookCardAddress: 'Delivery address for the book voucher',
    addressAsIs: 'Send it to the registered address',
    addressCorrect: 'Correct the address',
    postalCode: 'Postal code',
    address: 'Address',
    dataLegend: 'Your personal information',
    next: 'Continue to check',
    confirmIntro: 'Your request will be changed as follows.',
    item: 'Item',
    before: 'Before',
    after: 'After',
    submit: 'Make this change',
    back: 'Go back and edit',
    cancel: 'Keep my request as it is',
    done: 'Your request has been changed.',
    erasureWarning:
      'If your personal information is erased, you will also lose loyalty points and logins to web services.',
  },
  nothingRedeemed: 'You have not made a request yet. Please choose a gift first.',
  refused: {
    closed: 'The deadline has passed, so your request can no longer be changed.',
    erased: 'Your personal information has already been erased, so your request can no longer be changed.',
    emoney_locked: 'An e-money gift cannot be changed, as its code has been given to you.',
    to_emoney:
      'You cannot change to an e-money gift. You can only switch between a book voucher and a donation.',
    option_unavailable: 'The gift you chose is not available for this request.',
    book_card_cut:
      'Your book voucher is already being prepared for dispatch, so it can no longer be changed.',
    donation_booked: 'Your donation has already been made, so it can no longer be changed.',
    data_choice_fixed: 'You asked us earlier to erase your personal information, so this cannot be changed.',
    no_withdrawal:
      'A request to stop marketing or to erase your information cannot be withdrawn on this page. Please contact our contact centre.',
    address_needs_book_card: 'The delivery address can only be changed for a book voucher.',
    nothing_to_change: 'You have not chosen anything to change.',
  },
};
