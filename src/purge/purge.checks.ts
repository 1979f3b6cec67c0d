import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Config } from '../platform/config.js';
import type { Database, Db } from '../platform/database.js';
import { inParallel } from '../platform/in-parallel.js';
import { withoutParallelWorkers } from '../platform/serial-reads.js';
import type { ObjectStore } from '../platform/storage/storage.js';
import { countSampleHits, listScannableTables, samplesFittingDomains } from './purge-scan.repo.js';
import { samplePersonalRows } from './purge.repo.js';
import { PURGE_MESSAGES as M, type CheckId, type CheckStatus } from './purge.messages.js';
import { scanRedisForValues } from './purge.redis.js';
import { listCampaignObjects } from './purge.storage.js';

/**
 * The purge's proof that nothing is left: a sample of the campaign's personal values, taken before
 * deletion and kept in memory only, is searched for in the database and in Redis; the object store
 * is listed under the campaign's prefix. Logs are not searched (see checkLogs). A check reports
 * counts and places, never the values.
 */

export interface PurgeCheck {
  id: CheckId;
  /** Japanese, from the message catalogue. */
  name: string;
  /** Not applicable: the check had nothing to examine (and says why); it never counts as passed. */
  status: CheckStatus;
  /** status === 'passed', for readers of older reports. */
  passed: boolean;
  detail: string;
}

const check = (id: CheckId, status: CheckStatus, detail: string): PurgeCheck => ({
  id,
  name: M.checks[id].name,
  status,
  passed: status === 'passed',
  detail,
});
const verdict = (ok: boolean): CheckStatus => (ok ? 'passed' : 'failed');
const errorCode = (err: unknown) => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : '';
};

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

/**
 * Every text, text[] and JSON column of every table in the public schema, for the values it could
 * hold: a column whose domain admits none of them is not read (and the report says how many). Two
 * tables at a time, each in a transaction without parallel workers (see withoutParallelWorkers).
 */
export async function checkDatabase(
  db: Kysely<Database>,
  campaignId: string,
  samples: string[],
): Promise<PurgeCheck> {
  const m = M.checks.database;
  if (samples.length === 0) return check('database', 'not_applicable', M.checks.noSamples);
  const tables = await listScannableTables(db);
  if (tables.length === 0) return check('database', 'not_applicable', m.noTables);
  const domains = new Map<string, boolean>();
  for (const c of tables.flatMap((t) => t.columns)) if (c.domain) domains.set(c.domain, c.kind === 'array');
  const fits = await samplesFittingDomains(
    db,
    [...domains].map(([domain, array]) => ({ domain, array })),
    samples,
  );
  const searched = tables.map((t) => ({
    ...t,
    columns: t.columns
      .map((c) => ({ ...c, samples: c.domain ? (fits.get(c.domain) ?? samples) : samples }))
      .filter((c) => c.samples.length > 0),
  }));
  // A table may go while we look (another campaign's bulk load attached or discarded): no rows left.
  const perTable = await inParallel(
    searched.filter((t) => t.columns.length > 0),
    2,
    async (t) => ({
      table: t.table,
      hits: await withoutParallelWorkers(db, (trx) => countSampleHits(trx, t, campaignId)).catch(
        (err: unknown) => {
          if ((err as { code?: string }).code === '42P01') return {};
          throw err;
        },
      ),
    }),
  );
  const hits = perTable.flatMap(({ table, hits: byColumn }) =>
    Object.entries(byColumn)
      .filter(([, n]) => n > 0)
      .map(([column, n]) => m.place(`${table}.${column}`, n)),
  );
  const columns = tables.reduce((sum, t) => sum + t.columns.length, 0);
  const skipped = columns - searched.reduce((sum, t) => sum + t.columns.length, 0);
  const summary = m.searched(tables.length, columns, samples.length) + (skipped ? m.skipped(skipped) : '');
  return check('database', verdict(hits.length === 0), `${summary}。${hits.length ? m.hits(hits) : m.none}`);
}

/** Unreachable Redis is not applicable (nothing could be examined); an error mid-scan fails. */
export async function checkRedis(redis: Redis, samples: string[]): Promise<PurgeCheck> {
  const m = M.checks.redis;
  if (samples.length === 0) return check('redis', 'not_applicable', M.checks.noSamples);
  try {
    const scan = await scanRedisForValues(
      redis,
      samples.map((s) => Buffer.from(s)),
    );
    if (scan.keys === 0) return check('redis', 'not_applicable', m.noKeys);
    const searched = m.searched(scan.nodes, scan.keys, samples.length);
    const skipped = scan.unreachableNodes ? `。${m.unreachableNodes(scan.unreachableNodes)}` : '';
    return check(
      'redis',
      verdict(scan.keysWithHits === 0),
      `${searched}。${scan.keysWithHits ? m.hits(scan.keysWithHits) : m.none}${skipped}`,
    );
  } catch (err) {
    if (redis.status !== 'ready') return check('redis', 'not_applicable', m.unreachable(errorCode(err)));
    return check('redis', 'failed', m.error(errorCode(err)));
  }
}

/** The campaign's prefix in the object store, listed after the deletion: nothing may be left. */
export async function checkStorage(store: ObjectStore, campaignId: string): Promise<PurgeCheck> {
  const m = M.checks.storage;
  try {
    const left = await listCampaignObjects(store, campaignId);
    const listed = m.listed(campaignId, left.length);
    const shown = left.slice(0, 20);
    const detail = left.length ? `${listed}。${m.leftKeys(shown, left.length - shown.length)}` : listed;
    return check('storage', verdict(left.length === 0), detail);
  } catch (err) {
    return check('storage', 'failed', m.error(errorCode(err)));
  }
}

/**
 * Logs are not searched: every web process and worker, on any machine, writes its own (stdout, and
 * LOG_FILE when set), and no purge could reach them all. They carry no personal data by design,
 * which the log canary tests prove; the check says so, and where the logs go. It examines nothing,
 * so it is never counted as passed.
 */
export async function checkLogs(config: Pick<Config, 'LOG_FILE'>, samples: string[]): Promise<PurgeCheck> {
  if (samples.length === 0) return check('logs', 'not_applicable', M.checks.noSamples);
  return check('logs', 'not_applicable', M.checks.logs.statement(config.LOG_FILE));
}

/** The campaign's personal rows, and every other count of the report, must be zero afterwards. */
export function checkCounts(after: Record<keyof typeof M.counts, number>): PurgeCheck[] {
  const m = M.checks.counts;
  const entries = Object.entries(after) as [keyof typeof M.counts, number][];
  const left = entries.filter(([, n]) => n > 0).map(([k, n]) => M.countItem(M.counts[k], n));
  const uncountable = entries.filter(([, n]) => n < 0).map(([k]) => M.counts[k]);
  const problems = [
    ...(left.length ? [m.left(left)] : []),
    ...(uncountable.length ? [m.uncountable(uncountable)] : []),
  ];
  return [
    check(
      'personal_rows',
      verdict(after.customer_personal === 0),
      M.checks.personal_rows.detail(after.customer_personal),
    ),
    check('counts', verdict(problems.length === 0), problems.length ? problems.join('。') : m.allZero),
  ];
}
