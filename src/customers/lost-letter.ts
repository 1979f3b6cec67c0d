import { keyedHash } from './codes.js';
import { isCalendarDate, normalisePostalCode } from './normalise.js';

/**
 * The keys of the lost-letter search (src/contact): kana name, birth date and postal code together.
 * The import stores a keyed digest of the three, normalised; the contact centre computes the same
 * digest from what the caller says and looks it up (one index probe, no scan, no plain-text
 * comparison in SQL). One normaliser on both sides, so both accept exactly the same spellings.
 */

// Hiragana that have a katakana twin 0x60 above them (ぁ..ゖ, ゝ, ゞ).
const HIRAGANA = /[\u3041-\u3096\u309d\u309e]/gu;
// Spaces of every width and the separators people put between family and given name.
const SEPARATORS = /[\s\u3000・･·.,、，]/gu;

/**
 * A kana name as people say and type it: full- or half-width (NFKC), hiragana or katakana (→
 * katakana), with or without spaces or a middle dot between the names, Latin letters in any case.
 * Empty when nothing is left.
 */
export function normaliseKanaName(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(SEPARATORS, '')
    .replace(HIRAGANA, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0x60))
    .toUpperCase();
}

/** A birth date as "1980-04-01", "1980/4/1" or "１９８０年４月１日" → "1980-04-01"; null when not a date. */
export function normaliseBirthDate(raw: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u.exec(raw.normalize('NFKC').trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : null;
}

export interface LostLetterKeys {
  kanaName: string;
  birthDate: string;
  postalCode: string;
}

/** The normalised triple, or null when one of the three is missing or not what it should be. */
export function normaliseLostLetterKeys(raw: {
  kanaName: string | null;
  birthDate: string | null;
  postalCode: string | null;
}): LostLetterKeys | null {
  const kanaName = raw.kanaName === null ? '' : normaliseKanaName(raw.kanaName);
  const birthDate = raw.birthDate === null ? null : normaliseBirthDate(raw.birthDate);
  const postalCode = raw.postalCode === null ? null : normalisePostalCode(raw.postalCode);
  if (kanaName === '' || birthDate === null || postalCode === null) return null;
  return { kanaName, birthDate, postalCode };
}

/** What the digest is taken of (its own prefix: never equal to another keyed hash's input). */
export const lostLetterDigestInput = (k: LostLetterKeys): string =>
  `lost-letter:${k.kanaName}|${k.birthDate}|${k.postalCode}`;

/** The stored digest of a customer's three values; null when one of them is unknown. */
export function lostLetterDigest(
  pepper: string,
  raw: { kanaName: string | null; birthDate: string | null; postalCode: string | null },
): Buffer | null {
  const keys = normaliseLostLetterKeys(raw);
  return keys ? keyedHash(pepper, lostLetterDigestInput(keys)) : null;
}
