import { sql } from 'kysely';
import type { Db } from '../platform/database.js';

/** SQL of the API's request counters: one row per key, a fixed window that restarts when it is over. */

export async function countHit(
  db: Db,
  key: Buffer,
  windowStart: Date,
): Promise<{ hits: number; windowStart: Date }> {
  const { rows } = await sql<{ hits: number; window_start: Date }>`
    insert into api_rate_limits as r (key, window_start, hits) values (${key}, ${windowStart}, 1)
    on conflict (key) do update set
      hits = case when excluded.window_start > r.window_start then 1 else r.hits + 1 end,
      window_start = greatest(r.window_start, excluded.window_start)
    returning hits, window_start`.execute(db);
  return { hits: rows[0]!.hits, windowStart: rows[0]!.window_start };
}

export async function uncountHit(db: Db, key: Buffer): Promise<void> {
  await sql`update api_rate_limits set hits = greatest(hits - 1, 0) where key = ${key}`.execute(db);
}

export async function deleteCounter(db: Db, key: Buffer): Promise<void> {
  await sql`delete from api_rate_limits where key = ${key}`.execute(db);
}

/** Counters whose window ended before `before`: nobody needs them any more. */
export async function deleteStaleCounters(db: Db, before: Date): Promise<void> {
  await sql`delete from api_rate_limits where window_start < ${before}`.execute(db);
}
