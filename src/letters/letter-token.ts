import { randomBytes } from 'node:crypto';
import { keyedHash } from '../customers/codes.js';

/**
 * The token printed in a letter's QR code: 128 random bits, base64url (22 characters). It carries
 * nothing about the customer, proves only that this service issued the letter, and cannot log in:
 * the login still asks for the login key. Only its keyed hash is stored.
 */
export const LETTER_TOKEN_BYTES = 16;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}$/;

export const newLetterToken = (): string => randomBytes(LETTER_TOKEN_BYTES).toString('base64url');

export const isWellFormedLetterToken = (s: unknown): s is string =>
  typeof s === 'string' && TOKEN_SHAPE.test(s);

/** What is hashed (its own prefix: never equal to another keyed hash's input). */
export const letterTokenHashInput = (token: string): string => `letter:${token}`;

export const letterTokenHash = (pepper: string, token: string): Buffer =>
  keyedHash(pepper, letterTokenHashInput(token));

/** The verification page's address, as printed (base: PUBLIC_BASE_URL, no trailing slash). */
export const letterUrl = (baseUrl: string, slug: string, token: string): string =>
  `${baseUrl}/c/${encodeURIComponent(slug)}/letter/${token}`;

/** The last characters of a registration code: all the verification page shows of it. */
export const codeTail = (registrationCode: string): string => registrationCode.slice(-4);
