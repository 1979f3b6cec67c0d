import type { ADDRESS_JA } from '../ja/address.js';

/** The customer's address form: "Find address" (postal-code look-up) and the prefecture check. */
// Typed by the Japanese part, not the catalogue: no import cycle (catalogue.ts imports this file).
export const ADDRESS_EN: typeof ADDRESS_JA = {
  lookupButton: 'Find address',
  lookupHint:
    'Enter the postal code and press "Find address" to fill in the prefecture, city and town (any block number and building you typed are kept).',
  lookupNeedsPostalCode: 'Please enter the postal code, then press "Find address".',
  lookupUnknown:
    'No address was found for this postal code. Please check the postal code, or type the address starting with the prefecture.',
  lookupManyPlaces:
    'This postal code covers more than one prefecture. Please type the address starting with the prefecture.',
  lookupFilled: (start: string) =>
    `"${start}" was filled in from the postal code. Please add the block number, building and room (nothing has been sent yet).`,
  prefectureMismatch: (postalCodePrefectures: string, addressPrefecture: string) =>
    `The postal code belongs to ${postalCodePrefectures}, but the address is in ${addressPrefecture}. Please check the postal code or the address.`,
};
