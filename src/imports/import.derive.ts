import { createHmac, randomBytes } from 'node:crypto';
import { CODE_ALPHABET, LOGIN_KEY_LENGTH } from '../customers/codes.js';
import { LETTER_TOKEN_BYTES } from '../letters/letter-token.js';

/**
 * The bulk import's login keys and letter tokens, derived from a random secret of the run and the
 * customer's id: HMAC-SHA256 is a pseudo-random function, so with a 256-bit secret that exists only
 * in this process's memory (never stored, logged or sent to a job) the keys are as unguessable as
 * drawn ones. Deriving them lets the worker threads hash the keys while the letters are written
 * later, from what the database kept after the duplicates were taken out, without holding a
 * million keys in memory.
 */
export type RunSecret = Buffer;

export const newRunSecret = (): RunSecret => randomBytes(32);

function stream(secret: RunSecret, id: number, block: number): Buffer {
  return createHmac('sha256', secret).update(`letter:${id}:${block}`).digest();
}

export interface LetterSecrets {
  loginKey: string;
  /** The letter's verification token: 128 bits, base64url, as newLetterToken() makes them. */
  token: string;
}

/**
 * The customer's login key and letter token from one HMAC (the import computes millions): the
 * token is its first 16 bytes; the key takes characters of the code alphabet from the rest (and
 * from further blocks in the rare case that is not enough), without bias: bytes ≥ 248 (8 × 31)
 * are skipped.
 */
export function letterSecretsFor(secret: RunSecret, customerId: number): LetterSecrets {
  const first = stream(secret, customerId, 0);
  const limit = CODE_ALPHABET.length * Math.floor(256 / CODE_ALPHABET.length);
  let loginKey = '';
  let bytes = first.subarray(LETTER_TOKEN_BYTES);
  for (let block = 1; ; block++) {
    for (const byte of bytes) {
      if (byte >= limit) continue;
      loginKey += CODE_ALPHABET[byte % CODE_ALPHABET.length];
      if (loginKey.length === LOGIN_KEY_LENGTH) {
        return { loginKey, token: first.subarray(0, LETTER_TOKEN_BYTES).toString('base64url') };
      }
    }
    bytes = stream(secret, customerId, block);
  }
}

export const loginKeyFor = (secret: RunSecret, customerId: number): string =>
  letterSecretsFor(secret, customerId).loginKey;

export const letterTokenFor = (secret: RunSecret, customerId: number): string =>
  letterSecretsFor(secret, customerId).token;
