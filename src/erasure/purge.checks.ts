import type { Redis } from 'ioredis';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { findLogFiles, scanFilesForValues } from './erasure.files.js';
import { countSampleHits, listScannableTables } from './purge-scan.repo.js';
import { samplePersonalRows } from './purge.repo.js';
import { scanRedisForValues } from './purge.redis.js';

/**
 * The purge's proof that nothing is left: a sample of the campaign's personal values, taken before
 * deletion and kept in memory only, is searched for in the database, in Redis and in the log files.
 * A check reports counts and places, never the values.
 */

export interface PurgeCheck {
  name: string;
  passed: boolean;
  detail: string;
}

const SAMPLE_ROWS = 50;
export const MAX_SAMPLES = 200;

/**
 * Values distinctive enough to search for: a short or all-digit string (a postal code, a small
 * customer number) would match unrelated text and make the checks cry wolf.
 */
const searchable = (v: string | null | undefined): v is string =>
  !!v && v.trim().length >= 4 && !(/^\d+$/.test(v) && v.length < 8);

export async function samplePersonalValues(db: Db, campaignId: string): Promise<string[]> {
  const values = new Set<string>();
  for (const r of await samplePersonalRows(db, campaignId, SAMPLE_ROWS)) {
    const candidates = [
      r.full_name,
      r.full_name_kana,
      r.address,
      r.ship_address,
      r.phone,
      r.email,
      r.customer_ref,
    ];
    for (const v of [...candidates, ...r.household_names]) {
      if (values.size < MAX_SAMPLES && searchable(v)) values.add(v);
    }
  }
  return [...values];
}

/** Maps with at most `limit` calls in flight: the database has cores to spare, but not unlimited. */
export async function inParallel<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const nothingToSearch = (name: string): PurgeCheck => ({
  name,
  passed: true,
  detail: 'no personal rows were left to sample (already erased or purged): nothing to search for',
});

/** Every text, text[] and JSON column of every table in the public schema. */
export async function checkDatabase(db: Db, campaignId: string, samples: string[]): Promise<PurgeCheck> {
  const name = 'database: no sampled value in any table';
  if (samples.length === 0) return nothingToSearch(name);
  const tables = await listScannableTables(db);
  const perTable = await inParallel(tables, 2, (t) => countSampleHits(db, t, campaignId, samples));
  const hits = tables.flatMap((t, i) =>
    Object.entries(perTable[i]!)
      .filter(([, n]) => n > 0)
      .map(([column, n]) => `${t.table}.${column}: ${n}`),
  );
  const columns = tables.reduce((sum, t) => sum + t.columns.length, 0);
  const searched = `${tables.length} tables, ${columns} columns searched for ${samples.length} sampled values`;
  return {
    name,
    passed: hits.length === 0,
    detail: hits.length ? `${searched}; rows holding them: ${hits.join(', ')}` : `${searched}; none found`,
  };
}

export async function checkRedis(redis: Redis, samples: string[]): Promise<PurgeCheck> {
  const name = 'redis: no sampled value in any key';
  if (samples.length === 0) return nothingToSearch(name);
  try {
    const scan = await scanRedisForValues(
      redis,
      samples.map((s) => Buffer.from(s)),
    );
    const searched = `${scan.keys} keys (names and values) searched for ${samples.length} sampled values`;
    return {
      name,
      passed: scan.keysWithHits === 0,
      detail: `${searched}; keys holding them: ${scan.keysWithHits}`,
    };
  } catch (err) {
    return { name, passed: false, detail: `Redis could not be searched: ${(err as Error).message}` };
  }
}

export async function checkLogs(
  config: Pick<Config, 'DATA_DIR' | 'LOG_FILE'>,
  samples: string[],
): Promise<PurgeCheck> {
  const name = 'logs: no sampled value in any log file';
  if (samples.length === 0) return nothingToSearch(name);
  const scan = await scanFilesForValues(
    await findLogFiles(config),
    samples.map((s) => Buffer.from(s)),
  );
  const problems = [
    ...(scan.withHits.length ? [`files holding them: ${scan.withHits.join(', ')}`] : []),
    ...(scan.unreadable.length ? [`files that could not be read: ${scan.unreadable.join(', ')}`] : []),
  ];
  const searched = `${scan.files} log files (${scan.bytes} bytes) searched for ${samples.length} sampled values`;
  return {
    name,
    passed: problems.length === 0,
    detail: problems.length ? `${searched}; ${problems.join('; ')}` : `${searched}; none found`,
  };
}

/** The campaign's personal rows, and every other count of the report, must be zero afterwards. */
export function checkCounts(after: { customer_personal: number }): PurgeCheck[] {
  const left = (Object.entries(after) as [string, number][]).filter(([, n]) => n !== 0);
  return [
    {
      name: 'database: no personal row of the campaign',
      passed: after.customer_personal === 0,
      detail: `customer_personal rows of the campaign after the purge: ${after.customer_personal}`,
    },
    {
      name: 'counts: nothing of the campaign left anywhere counted',
      passed: left.length === 0,
      detail: left.length
        ? `left (-1: could not be counted): ${left.map(([k, n]) => `${k} ${n}`).join(', ')}`
        : 'all zero',
    },
  ];
}
