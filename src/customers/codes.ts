import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * 31 characters with nothing easily confused on paper (no 0/O, 1/I/L). 31 is prime, so a weighted
 * check character over it catches every single substitution and every swap of two adjacent
 * characters: weights 1..12 are distinct and non-zero mod 31.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BASE = CODE_ALPHABET.length; // 31
const valueOf = new Map([...CODE_ALPHABET].map((c, i) => [c, i]));

/** Registration code: 11 random characters + 1 check character (≈54 bits; sparse, not enumerable). */
export const REGISTRATION_CODE_LENGTH = 12;
/** Login key: 12 random characters (≈59 bits), typed from paper. */
export const LOGIN_KEY_LENGTH = 12;

function randomChars(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += CODE_ALPHABET[randomInt(BASE)];
  return out;
}

function weightedSum(chars: string): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) {
    const v = valueOf.get(chars[i]!);
    if (v === undefined) return -1;
    sum += (i + 1) * v;
  }
  return sum % BASE;
}

// Modular inverse of the check character's weight (12) mod 31.
const INVERSE_OF_CHECK_WEIGHT = (() => {
  for (let x = 1; x < BASE; x++) if ((REGISTRATION_CODE_LENGTH * x) % BASE === 1) return x;
  throw new Error('no inverse');
})();

export function checkCharacterFor(body: string): string {
  const s = weightedSum(body);
  if (s < 0 || body.length !== REGISTRATION_CODE_LENGTH - 1) throw new Error('invalid code body');
  const v = ((BASE - s) * INVERSE_OF_CHECK_WEIGHT) % BASE;
  return CODE_ALPHABET[v]!;
}

export function generateRegistrationCode(): string {
  const body = randomChars(REGISTRATION_CODE_LENGTH - 1);
  return body + checkCharacterFor(body);
}

/** True when a normalised code has the right length, alphabet and check character. */
export function isValidRegistrationCode(code: string): boolean {
  return code.length === REGISTRATION_CODE_LENGTH && weightedSum(code) === 0;
}

export function generateLoginKey(): string {
  return randomChars(LOGIN_KEY_LENGTH);
}

export function isWellFormedLoginKey(key: string): boolean {
  return key.length === LOGIN_KEY_LENGTH && [...key].every((c) => valueOf.has(c));
}

/**
 * Forgiving input: full-width → half-width (NFKC), lower → upper case, and every kind of space,
 * hyphen, dash and long-vowel mark removed. A customer copying from paper types all of these.
 */
export function normaliseCodeInput(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―−ー_・.]/gu, '');
}

/** Printed form: groups of four joined by hyphens. */
export function formatForPrint(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/** Keyed hash (HMAC-SHA256); the pepper lives outside the database. */
export function keyedHash(pepper: string, value: string): Buffer {
  return createHmac('sha256', pepper).update(value).digest();
}

export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
