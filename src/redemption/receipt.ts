import { createHmac, hkdfSync } from 'node:crypto';
import { CODE_ALPHABET, normaliseCodeInput } from '../customers/codes.js';
import type { Config } from '../platform/config.js';

/**
 * The reference number (受付番号) on the customer's receipt: 9 characters, printed "K7M-2QX-D9F".
 *
 * Decided: a keyed permutation of the redemption id, not a stored random column and not the id.
 * - Stable: a pure function of the id (no column, nothing to backfill, the same on every page and
 *   after erasure and purge, which keep the redemption row).
 * - Unique by construction (a permutation), so no collision handling on the set-based insert that
 *   records thousands of postcards in one statement (a random column would need retries there).
 * - Not a counter: consecutive redemptions get unrelated numbers, so it shows no volumes, and
 *   without the key nobody can derive another customer's number. It is never an access key either:
 *   it is shown only to the logged-in customer, and looking it up is the contact centre's
 *   (authenticated, audited) business.
 * - Reversible with the key, so the contact centre finds the redemption from it without an index
 *   (redemptionIdFromReference).
 * - Readable: the registration code's alphabet (no 0/O, 1/I/L) and its weighted check character
 *   over a prime base, which catches any one mistyped character and any swap of neighbours.
 *
 * The permutation: an 8-round Feistel network over 40 bits (HMAC-SHA256 round function), walked
 * in cycles until it lands below 31^8, the number of 8-character bodies. The key is derived with
 * HKDF from LOGIN_KEY_PEPPER under its own label: that secret can never rotate during a campaign
 * (every printed login key depends on it), so neither do printed reference numbers.
 */

const BASE = CODE_ALPHABET.length; // 31
const BODY_LENGTH = 8;
const DOMAIN = BASE ** BODY_LENGTH; // 852,891,037,441 < 2^40
const HALF = 2 ** 20;
const ROUNDS = 8;
export const REFERENCE_LENGTH = BODY_LENGTH + 1;
const valueOf = new Map([...CODE_ALPHABET].map((c, i) => [c, i]));

const keys = new WeakMap<object, Buffer>();

/** The permutation's key, derived once per configuration. */
export function referenceKey(config: Pick<Config, 'LOGIN_KEY_PEPPER'>): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', config.LOGIN_KEY_PEPPER, 'owabi', 'owabi:receipt-reference:v1', 32));
    keys.set(config, key);
  }
  return key;
}

function round(key: Buffer, i: number, half: number): number {
  const msg = Buffer.alloc(5);
  msg.writeUInt8(i, 0);
  msg.writeUInt32BE(half, 1);
  return createHmac('sha256', key).update(msg).digest().readUInt32BE(0) % HALF;
}

function feistel(key: Buffer, v: number, inverse: boolean): number {
  let l = Math.floor(v / HALF);
  let r = v % HALF;
  for (let k = 0; k < ROUNDS; k++) {
    const i = inverse ? ROUNDS - 1 - k : k;
    [l, r] = inverse ? [r ^ round(key, i, l), l] : [r, l ^ round(key, i, r)];
  }
  return l * HALF + r;
}

/** A permutation of [0, DOMAIN): the 40-bit permutation, walked until the value is inside. */
function permute(key: Buffer, v: number, inverse = false): number {
  let x = feistel(key, v, inverse);
  while (x >= DOMAIN) x = feistel(key, x, inverse);
  return x;
}

const weightedSum = (chars: string) =>
  [...chars].reduce((sum, ch, i) => sum + (i + 1) * valueOf.get(ch)!, 0) % BASE;

const INVERSE_OF_CHECK_WEIGHT = (() => {
  for (let x = 1; x < BASE; x++) if ((REFERENCE_LENGTH * x) % BASE === 1) return x;
  throw new Error('no inverse');
})();

/** The redemption's reference number, unformatted (9 characters). */
export function referenceFor(key: Buffer, redemptionId: string): string {
  const id = Number(redemptionId);
  if (!Number.isSafeInteger(id) || id < 0 || id >= DOMAIN) throw new Error('redemption id out of range');
  let n = permute(key, id);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    body = CODE_ALPHABET[n % BASE]! + body;
    n = Math.floor(n / BASE);
  }
  const check = ((BASE - weightedSum(body)) * INVERSE_OF_CHECK_WEIGHT) % BASE;
  return body + CODE_ALPHABET[check]!;
}

/** Printed form, in threes: K7M-2QX-D9F. */
export const formatReference = (ref: string) => ref.match(/.{1,3}/g)!.join('-');

/** A normalised input (normaliseCodeInput) that has a reference number's length, alphabet and check. */
export const isWellFormedReference = (ref: string): boolean =>
  ref.length === REFERENCE_LENGTH && [...ref].every((c) => valueOf.has(c)) && weightedSum(ref) === 0;

/**
 * The redemption id a reference number (as typed: any case, width, hyphens, spaces) stands for, or
 * null when it is not a well-formed reference (wrong length, alphabet or check character).
 */
export function redemptionIdFromReference(key: Buffer, typed: string): string | null {
  const ref = normaliseCodeInput(typed);
  if (!isWellFormedReference(ref)) return null;
  let n = 0;
  for (const ch of ref.slice(0, BODY_LENGTH)) n = n * BASE + valueOf.get(ch)!;
  return String(permute(key, n, true));
}

/** What the completion and status pages show as the receipt. */
export interface Receipt {
  reference: string;
  receivedAt: Date;
}

export function receiptOf(key: Buffer, redemption: { id: string; redeemed_at: Date }): Receipt {
  return { reference: formatReference(referenceFor(key, redemption.id)), receivedAt: redemption.redeemed_at };
}
