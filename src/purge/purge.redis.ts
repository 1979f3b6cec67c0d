import type { Redis } from 'ioredis';
import { deleteStoredJobs, forEachStoredJobBatch, type StoredJob } from '../platform/queue-keys.js';
import { forEachRedisNode } from '../platform/redis-nodes.js';
import { forEachKeyBatch, typesOf } from '../platform/redis-scan.js';

/**
 * The purge's view of Redis: the queued jobs of a campaign, and a scan of every key for leftover
 * personal values. Jobs should carry ids only; this is the proof, and the clean-up if one ever did
 * not. Platform knows where the queues keep their jobs; this file knows only what a job's data says.
 * Deletes go to the master; counts and scans read every node (with Sentinel, the replicas too).
 */

/** Jobs whose data names the campaign, a scan batch at a time. */
async function forEachCampaignJobBatch(
  redis: Redis,
  campaignId: string,
  onBatch: (jobs: StoredJob[]) => Promise<void>,
): Promise<void> {
  await forEachStoredJobBatch(redis, (jobs) =>
    onBatch(jobs.filter((job) => jobCampaignId(job.data) === campaignId)),
  );
}

/** Deletes every job whose data names the campaign; returns how many. */
export async function deleteCampaignJobs(redis: Redis, campaignId: string): Promise<number> {
  let deleted = 0;
  await forEachCampaignJobBatch(redis, campaignId, async (matched) => {
    await deleteStoredJobs(redis, matched);
    deleted += matched.length;
  });
  return deleted;
}

function jobCampaignId(data: string | null): string | undefined {
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

/**
 * Counts the campaign's jobs without touching them (the report's before and after): the most any
 * node holds, so a job left on one replica still counts.
 */
export async function countCampaignJobs(redis: Redis, campaignId: string): Promise<number> {
  let most = 0;
  await forEachRedisNode(redis, async (node) => {
    let n = 0;
    await forEachCampaignJobBatch(node, campaignId, async (matched) => {
      n += matched.length;
    });
    most = Math.max(most, n);
  });
  return most;
}

export interface RedisScan {
  /** Nodes searched: the master and each replica reached. */
  nodes: number;
  /** Replicas the sentinels list that could not be reached, so not searched. */
  unreachableNodes: number;
  /** Keys searched, over all nodes. */
  keys: number;
  /** Keys whose name or value holds a sampled value (a count: key names could themselves be personal). */
  keysWithHits: number;
}

/** Every key of every type on every node, names and values, searched as bytes for each value. */
export async function scanRedisForValues(redis: Redis, needles: Buffer[]): Promise<RedisScan> {
  const scan = { keys: 0, keysWithHits: 0 };
  const nodes = await forEachRedisNode(redis, (node) => scanNodeForValues(node, needles, scan));
  return { nodes: nodes.visited, unreachableNodes: nodes.unreachable, ...scan };
}

async function scanNodeForValues(
  redis: Redis,
  needles: Buffer[],
  scan: Pick<RedisScan, 'keys' | 'keysWithHits'>,
): Promise<void> {
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
