import type pg from 'pg';

/** What the database did during a bench's run (redeem, postcards), and what it holds afterwards. */

export async function dbCounters(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query(
    `select xact_commit + xact_rollback as xacts, xact_commit as commits, tup_inserted, tup_updated, tup_returned, tup_fetched,
            blks_read, blks_hit, w.wal_records, w.wal_fpi, w.wal_bytes
       from pg_stat_database, pg_stat_wal w where datname = current_database()`,
  );
  return Object.fromEntries(
    Object.entries(rows[0] as Record<string, string>).map(([k, v]) => [k, Number(v)]),
  );
}

export const counterDiff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]));

/** Every counted redemption is there, none twice: the rows the campaign holds after the run. */
export async function redemptionCheck(pool: pg.Pool, campaignId: string): Promise<Record<string, number>> {
  const { rows: check } = await pool.query(
    `select (select count(*) from redemptions where campaign_id = $1)::int as redemptions,
            (select count(*) from emoney_codes where campaign_id = $1 and redemption_id is not null)::int as codes_allocated,
            (select count(*) from redemptions r where campaign_id = $1 and option = 'emoney'
               and not exists (select 1 from emoney_codes e where e.redemption_id = r.id))::int as emoney_without_code,
            (select count(*) from login_attempts where campaign_id = $1)::int as login_attempts,
            (select count(*) from login_attempts where campaign_id = $1 and outcome <> 'success')::int as failed_logins`,
    [campaignId],
  );
  return check[0] as Record<string, number>;
}

export interface StatementUse {
  calls_per_redemption: number;
  mean_ms: number;
  total_ms: number;
  query: string;
}

/** The most frequent statements of pg_stat_statements, per redemption (the bench's own left out). */
export async function statementsPerRedemption(pool: pg.Pool, redemptions: number): Promise<StatementUse[]> {
  const { rows } = await pool.query(
    `select calls, total_exec_time, mean_exec_time, regexp_replace(query, '\\s+', ' ', 'g') as query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by calls desc limit 30`,
  );
  return rows
    .filter((r: { query: string }) => !/pg_stat|pg_database|vacuum analyze/.test(r.query))
    .map((r: { calls: string; total_exec_time: number; mean_exec_time: number; query: string }) => ({
      calls_per_redemption: Math.round((Number(r.calls) / Math.max(1, redemptions)) * 100) / 100,
      mean_ms: Math.round(r.mean_exec_time * 1000) / 1000,
      total_ms: Math.round(r.total_exec_time),
      query: r.query.slice(0, 160),
    }));
}
