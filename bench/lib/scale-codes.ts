import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, checkCharacterFor } from '../../src/customers/codes.js';

/**
 * Customer `i` of a big bench seed, without holding the others in memory: its registration code and
 * its login key are functions of `i` and the run's keys. The code's 11-character body is a bijection
 * of `i` (a 4-round Feistel network over 31^5 × 31^6), so codes never collide and need no Set of 30
 * million strings, yet land all over the unique index as real random codes do. The login key is only
 * looked up again for the few customers the load logs in with; it need not be secret, only valid.
 */

const BASE = CODE_ALPHABET.length; // 31
const A = BASE ** 5; // 28,629,151
const B = BASE ** 6; // 887,503,681

/** murmur3's finaliser: a 32-bit mix of x and a round key. */
function mix(x: number, key: number): number {
  let h = (x ^ key) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function digits(value: number, count: number): string {
  let out = '';
  for (let k = 0; k < count; k++) {
    out += CODE_ALPHABET[value % BASE];
    value = Math.floor(value / BASE);
  }
  return out;
}

export interface CodeKeys {
  rounds: [number, number, number, number];
  login: [number, number, number];
}

/** Fresh round keys: each run's codes differ. */
export function newCodeKeys(): CodeKeys {
  const k = () => randomInt(2 ** 31);
  return { rounds: [k(), k(), k(), k()], login: [k(), k(), k()] };
}

/** The registration code of customer `i` (0 ≤ i < 31^11), check character included. */
export function registrationCodeAt(keys: CodeKeys, i: number): string {
  let a = i % A;
  let b = Math.floor(i / A);
  const [k1, k2, k3, k4] = keys.rounds;
  b = (b + mix(a, k1)) % B;
  a = (a + mix(b, k2)) % A;
  b = (b + mix(a, k3)) % B;
  a = (a + mix(b, k4)) % A;
  const body = digits(a, 5) + digits(b, 6);
  return body + checkCharacterFor(body);
}

/** The login key printed on customer `i`'s letter (12 characters of the code alphabet). */
export function loginKeyAt(keys: CodeKeys, i: number): string {
  return keys.login.map((k) => digits(mix(i, k) % BASE ** 4, 4)).join('');
}

/** `count` distinct indices of [0, n) in random order (all of them, shuffled, when count ≥ n). */
export function sampleIndices(n: number, count: number): number[] {
  let out: number[];
  if (count * 2 >= n) {
    // Most of them: shuffle all (below, with the rest) and keep the first `count`.
    out = Array.from({ length: n }, (_, i) => i);
  } else {
    const picked = new Set<number>();
    while (picked.size < count) picked.add(randomInt(n));
    out = [...picked];
  }
  for (let j = out.length - 1; j > 0; j--) {
    const r = randomInt(j + 1);
    [out[j], out[r]] = [out[r]!, out[j]!];
  }
  return out.slice(0, count);
}
