import type { Redis } from 'ioredis';
import { keyPrefixOf } from './redis-connection.js';
import { forEachKeyBatch, typesOf } from './redis-scan.js';

/**
 * The queue library's layout of its keys in Redis, known here only: a job is the hash
 * `<prefix>:<queue>:<jobId>` (its payload in the field `data`), with `…:logs` and `…:lock` beside it,
 * and each queue lists job ids in the lists and sorted sets below. Code that must reach jobs
 * without the library (the purge, which also runs where no queue object exists) asks here. The
 * prefix is the connection's (REDIS_PREFIX), as the queues were given it.
 */

/** Where a queue keeps job ids (lists and sorted sets); removing the id keeps the queue consistent. */
const ID_LISTS = ['wait', 'paused', 'active'];
const ID_ZSETS = ['prioritized', 'delayed', 'completed', 'failed', 'waiting-children'];

export interface StoredJob {
  queue: string;
  id: string;
  /** The job's payload, JSON as the producer gave it (null when the hash has none). */
  data: string | null;
}

/** `<queue>:<jobId>` of a key under the prefix; undefined for a queue's other keys (lists, meta, …). */
function jobOfKey(prefix: string, key: string): Pick<StoredJob, 'queue' | 'id'> | undefined {
  const parts = key.slice(prefix.length + 1).split(':');
  return key.startsWith(`${prefix}:`) && parts.length === 2 ? { queue: parts[0]!, id: parts[1]! } : undefined;
}

/** SCAN's MATCH is a glob: a prefix's own `[`, `]`, `*`, `?` or backslash must match only itself. */
const globEscaped = (s: string) => s.replace(/[[\]*?\\]/g, '\\$&');

/** Every job of every queue on the node `redis` reaches, a scan batch at a time. */
export async function forEachStoredJobBatch(
  redis: Redis,
  onBatch: (jobs: StoredJob[]) => Promise<void>,
): Promise<void> {
  const prefix = keyPrefixOf(redis);
  await forEachKeyBatch(redis, `${globEscaped(prefix)}:*`, async (raw) => {
    const keys = raw.map((k) => k.toString()).filter((k) => jobOfKey(prefix, k));
    const types = await typesOf(
      redis,
      keys.map((k) => Buffer.from(k)),
    );
    const hashes = keys.filter((_, i) => types[i] === 'hash');
    const p = redis.pipeline();
    for (const k of hashes) p.hget(k, 'data');
    const data = ((await p.exec()) ?? []).map(([, v]) => v as string | null);
    await onBatch(hashes.map((key, i) => ({ ...jobOfKey(prefix, key)!, data: data[i] ?? null })));
  });
}

/** Deletes the jobs (hash, logs, lock) and takes their ids out of their queue's lists, at once. */
export async function deleteStoredJobs(redis: Redis, jobs: StoredJob[]): Promise<void> {
  if (!jobs.length) return;
  const prefix = keyPrefixOf(redis);
  const del = redis.multi();
  for (const job of jobs) {
    const key = `${prefix}:${job.queue}:${job.id}`;
    del.del(key, `${key}:logs`, `${key}:lock`);
    for (const l of ID_LISTS) del.lrem(`${prefix}:${job.queue}:${l}`, 0, job.id);
    for (const z of ID_ZSETS) del.zrem(`${prefix}:${job.queue}:${z}`, job.id);
  }
  await del.exec();
}
