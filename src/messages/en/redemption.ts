import type { REDEMPTION_JA } from '../ja/redemption.js';

/** The customer's redemption pages: choices, confirmation, completion, status. */
export const REDEMPTION_EN: typeof REDEMPTION_JA = {
  formUnreadable: 'What was entered is not valid.',
  chooseOption: 'Please choose a gift of apology.',
  optionUnavailable: 'The gift you chose is not available for this request.',
  chooseBrand: 'Please choose a type of e-money.',
  chooseDataChoice: 'Please choose how we should handle your personal information.',
  confirmDelivery: 'Please confirm the delivery address for the book voucher.',
  postalCode: 'Please enter the postal code as 7 digits (for example, 100-0004).',
  address: {
    tooShort: 'Please enter the full address, from the prefecture to the street number.',
    tooLong: 'Please enter the address in 200 characters or fewer.',
    prefectureFirst: 'Please start the address with the prefecture.',
    streetNumber: 'Please include the street number.',
  },
  poolEmpty:
    'We are sorry. The e-money gift you chose is being restocked at the moment. Please try again later or choose another gift. Your request has not been completed yet.',
  alreadyErased: 'Your personal information has already been erased.',
};
