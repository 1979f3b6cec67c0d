import { InvalidObjectKey } from './storage.errors.js';

/**
 * Object keys are slash-separated paths such as `campaigns/42/letters/run-7.csv`. Each segment is
 * made of `A-Z a-z 0-9 . _ -` and does not start with a dot: that rules out `.` and `..` (no key
 * can climb out of the local driver's folder), hidden files, and the driver's `.tmp` files, which
 * therefore never collide with an object. No empty segment, so no absolute key and no `//`.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;
/** S3's limit (bytes; every allowed character is one byte). */
const MAX_KEY_LENGTH = 1024;

/** Why `key` is refused, or null when it is a valid key. */
export function keyProblem(key: string): string | null {
  if (key.length === 0) return 'is empty';
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  const bad = key.split('/').find((segment) => !SEGMENT.test(segment));
  if (bad === undefined) return null;
  if (bad === '') return 'has an empty segment (leading, trailing or double slash)';
  if (bad.startsWith('.')) return 'has a segment starting with a dot';
  return 'has a segment with a character other than A-Z a-z 0-9 . _ -, or longer than 255';
}

export const isValidKey = (key: string): boolean => keyProblem(key) === null;

export function assertValidKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new InvalidObjectKey(key, problem);
  return key;
}

/**
 * A prefix names a folder: a valid key followed by `/`, so `campaigns/1/` never matches
 * `campaigns/10/…`. The empty prefix (everything) is allowed where `allowEverything` says so:
 * listing, never deleting.
 */
export function assertValidPrefix(prefix: string, { allowEverything = false } = {}): string {
  if (prefix === '') {
    if (allowEverything) return prefix;
    throw new InvalidObjectKey(prefix, 'the empty prefix (every object) is refused here');
  }
  if (!prefix.endsWith('/')) throw new InvalidObjectKey(prefix, "a prefix ends with '/'");
  assertValidKey(prefix.slice(0, -1));
  return prefix;
}

/** Joins segments into a key; each must be one valid segment (a slash inside one is refused). */
export function objectKey(...segments: string[]): string {
  for (const segment of segments) {
    if (segment.includes('/')) throw new InvalidObjectKey(segment, 'a segment contains a slash');
  }
  return assertValidKey(segments.join('/'));
}

export type CampaignId = string | number | bigint;

/** Every object of a campaign lives under this prefix, so the purge lists and deletes it whole. */
export const campaignPrefix = (campaignId: CampaignId): string =>
  `${objectKey('campaigns', String(campaignId))}/`;

/** `campaigns/<campaignId>/<segments…>`. */
export const campaignObjectKey = (campaignId: CampaignId, ...segments: string[]): string =>
  objectKey('campaigns', String(campaignId), ...segments);
