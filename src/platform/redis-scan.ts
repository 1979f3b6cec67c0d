import type { Redis } from 'ioredis';

/** Walking Redis's keyspace without blocking it: SCAN a batch at a time, never KEYS. */

const SCAN_COUNT = 1_000;

/** Every key (or those matching `match`), a scan batch at a time, as raw bytes. */
export async function forEachKeyBatch(
  redis: Redis,
  match: string | undefined,
  fn: (keys: Buffer[]) => Promise<void>,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = match
      ? await redis.scanBuffer(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)
      : await redis.scanBuffer(cursor, 'COUNT', SCAN_COUNT);
    cursor = next.toString();
    if (keys.length) await fn(keys);
  } while (cursor !== '0');
}

/** The type of each key, in order ('none' for a key that vanished or could not be asked about). */
export async function typesOf(redis: Redis, keys: Buffer[]): Promise<string[]> {
  const p = redis.pipeline();
  for (const k of keys) p.type(k);
  return ((await p.exec()) ?? []).map(([err, t]) => (err ? 'none' : String(t)));
}
