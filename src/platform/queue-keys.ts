import type { Redis } from 'ioredis';
import { QUEUE_PREFIX } from './queues.js';
import { forEachKeyBatch, typesOf } from './redis-scan.js';

/**
 * The queue library's layout of its keys in Redis, known here only: a job is the hash
 * `<prefix>:<queue>:<jobId>` (its payload in the field `data`), with `…:logs` and `…:lock` beside it,
 * and each queue lists job ids in the lists and sorted sets below. Code that must reach jobs
 * without the library (the purge, which also runs where no queue object exists) asks here.
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

const jobKey = (job: Pick<StoredJob, 'queue' | 'id'>) => `${QUEUE_PREFIX}:${job.queue}:${job.id}`;

/** Every job of every queue, a scan batch at a time. */
export async function forEachStoredJobBatch(
  redis: Redis,
  onBatch: (jobs: StoredJob[]) => Promise<void>,
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
    await onBatch(
      hashes.map((key, i) => {
        const [, queue, id] = key.split(':') as [string, string, string];
        return { queue, id, data: data[i] ?? null };
      }),
    );
  });
}

/** Deletes the jobs (hash, logs, lock) and takes their ids out of their queue's lists, at once. */
export async function deleteStoredJobs(redis: Redis, jobs: StoredJob[]): Promise<void> {
  if (!jobs.length) return;
  const del = redis.multi();
  for (const job of jobs) {
    const key = jobKey(job);
    del.del(key, `${key}:logs`, `${key}:lock`);
    for (const l of ID_LISTS) del.lrem(`${QUEUE_PREFIX}:${job.queue}:${l}`, 0, job.id);
    for (const z of ID_ZSETS) del.zrem(`${QUEUE_PREFIX}:${job.queue}:${z}`, job.id);
  }
  await del.exec();
}
