import type { Catalogue } from '../messages/catalogue.js';
import { addressStartOf, fillAddress, placesOf, prefectureMismatch } from './address-lookup.js';
import { normaliseAddress } from './address.js';
import { normalisePostalCode } from './normalise.js';

/**
 * The customer's address form: the prefecture check that refuses a postal code of another
 * prefecture, and "住所を検索" (a second submit button, so it works without JavaScript).
 */

/** The message when a normalised postal code and address lie in different prefectures, else null. */
export function prefectureMismatchMessage(c: Catalogue, postalCode: string, address: string): string | null {
  const mismatch = prefectureMismatch(postalCode, address);
  return mismatch
    ? c.address.prefectureMismatch(mismatch.postalCodePrefectures.join('・'), mismatch.addressPrefecture)
    : null;
}

export interface AddressLookup {
  /** The fields to show again: the postal code as typed, the address filled in (or as typed). */
  postalCode: string;
  address: string;
  /** Why nothing was filled in (shown at the postal code), or null. */
  error: string | null;
  /** What was filled in (a status message), or null. */
  notice: string | null;
}

/** "住所を検索": the address field filled from the postal code; nothing is stored. */
export function lookUpAddress(c: Catalogue, typedPostalCode: string, typedAddress: string): AddressLookup {
  const keep = { postalCode: typedPostalCode, address: typedAddress, notice: null };
  if (typedPostalCode.trim() === '') return { ...keep, error: c.address.lookupNeedsPostalCode };
  const code = normalisePostalCode(typedPostalCode);
  if (code === null) return { ...keep, error: c.redemption.postalCode };
  const start = addressStartOf(code);
  if (start === null) {
    const many = placesOf(code).length > 0;
    return { ...keep, error: many ? c.address.lookupManyPlaces : c.address.lookupUnknown };
  }
  return {
    postalCode: typedPostalCode,
    address: fillAddress(code, normaliseAddress(typedAddress)) ?? typedAddress,
    error: null,
    notice: c.address.lookupFilled(start),
  };
}
