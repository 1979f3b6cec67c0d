import type { Redis } from 'ioredis';

/**
 * The purge's view of Redis: the queue's job hashes of a campaign, and a scan of every key for
 * leftover personal values. Jobs should carry ids only; this is the proof, and the clean-up if one
 * ever did not. Works on the raw keys so the domain does not depend on the queue library.
 */

const SCAN_COUNT = 1_000;
const QUEUE_PREFIX = 'bull';
/** Where a queue keeps job ids (lists and sorted sets); removing the id keeps the queue consistent. */
const ID_LISTS = ['wait', 'paused', 'active'];
const ID_ZSETS = ['prioritized', 'delayed', 'completed', 'failed', 'waiting-children'];

async function forEachKeyBatch(
  redis: Redis,
  match: string | undefined,
  fn: (keys: Buffer[]) => Promise<void>,
) {
  let cursor = '0';
  do {
    const [next, keys] = match
      ? await redis.scanBuffer(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)
      : await redis.scanBuffer(cursor, 'COUNT', SCAN_COUNT);
    cursor = next.toString();
    if (keys.length) await fn(keys);
  } while (cursor !== '0');
}

async function typesOf(redis: Redis, keys: Buffer[]): Promise<string[]> {
  const p = redis.pipeline();
  for (const k of keys) p.type(k);
  return ((await p.exec()) ?? []).map(([err, t]) => (err ? 'none' : String(t)));
}

/** Job hashes (`bull:<queue>:<jobId>`) whose data names the campaign, a scan batch at a time. */
async function forEachCampaignJobBatch(
  redis: Redis,
  campaignId: string,
  onBatch: (jobKeys: string[]) => Promise<void>,
): Promise<void> {
  await forEachKeyBatch(redis, `${QUEUE_PREFIX}:*`, async (raw) => {
    const keys = raw.map((k) => k.toString()).filter((k) => k.split(':').length === 3);
    const types = await typesOf(
      redis,
      keys.map((k) => Buffer.from(k)),
    );
    const hashes = keys.filter((_, i) => types[i] === 'hash');
    const p = redis.pipeline();
    for (const k of hashes) p.hget(k, 'data');
    const data = ((await p.exec()) ?? []).map(([, v]) => v as string | null);
    await onBatch(hashes.filter((_, i) => jobCampaignId(data[i]) === campaignId));
  });
}

/** Deletes every job whose data names the campaign; returns how many. */
export async function deleteCampaignJobs(redis: Redis, campaignId: string): Promise<number> {
  let deleted = 0;
  await forEachCampaignJobBatch(redis, campaignId, async (matched) => {
    if (!matched.length) return;
    const del = redis.multi();
    for (const key of matched) {
      const [, queue, jobId] = key.split(':') as [string, string, string];
      del.del(key, `${key}:logs`, `${key}:lock`);
      for (const l of ID_LISTS) del.lrem(`${QUEUE_PREFIX}:${queue}:${l}`, 0, jobId);
      for (const z of ID_ZSETS) del.zrem(`${QUEUE_PREFIX}:${queue}:${z}`, jobId);
    }
    await del.exec();
    deleted += matched.length;
  });
  return deleted;
}

function jobCampaignId(data: string | null | undefined): string | undefined {
  if (!data) return undefined;
  try {
    const parsed = JSON.parse(data) as { campaignId?: unknown };
    return parsed?.campaignId === undefined || parsed.campaignId === null
      ? undefined
      : String(parsed.campaignId);
  } catch {
    return undefined;
  }
}

/** Counts the campaign's jobs without touching them (the report's before and after). */
export async function countCampaignJobs(redis: Redis, campaignId: string): Promise<number> {
  let n = 0;
  await forEachCampaignJobBatch(redis, campaignId, async (matched) => {
    n += matched.length;
  });
  return n;
}

export interface RedisScan {
  keys: number;
  /** Keys whose name or value holds a sampled value (a count: key names could themselves be personal). */
  keysWithHits: number;
}

/** Every key of every type, names and values, searched as bytes for each value. */
export async function scanRedisForValues(redis: Redis, needles: Buffer[]): Promise<RedisScan> {
  const scan: RedisScan = { keys: 0, keysWithHits: 0 };
  await forEachKeyBatch(redis, undefined, async (keys) => {
    scan.keys += keys.length;
    const types = await typesOf(redis, keys);
    const p = redis.pipeline();
    keys.forEach((k, i) => {
      const t = types[i];
      if (t === 'string') p.getBuffer(k);
      else if (t === 'hash') p.hgetallBuffer(k);
      else if (t === 'list') p.lrangeBuffer(k, 0, -1);
      else if (t === 'set') p.smembersBuffer(k);
      else if (t === 'zset') p.zrangeBuffer(k, '0', '-1');
      else if (t === 'stream') p.xrangeBuffer(k, '-', '+');
      else p.exists(k);
    });
    const values = (await p.exec()) ?? [];
    keys.forEach((k, i) => {
      if (holds(k, needles) || holds(values[i]?.[1], needles)) scan.keysWithHits++;
    });
  });
  return scan;
}

/** Whether any string or buffer anywhere in a reply (objects, nested arrays) contains a value. */
function holds(value: unknown, needles: Buffer[]): boolean {
  if (value === null || value === undefined || typeof value === 'number') return false;
  if (Buffer.isBuffer(value)) return needles.some((n) => value.includes(n));
  if (typeof value === 'string') return holds(Buffer.from(value), needles);
  if (Array.isArray(value)) return value.some((v) => holds(v, needles));
  if (typeof value === 'object')
    return Object.entries(value).some(([k, v]) => holds(k, needles) || holds(v, needles));
  return false;
}
