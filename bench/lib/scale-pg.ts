import type pg from 'pg';

/**
 * The bulk load runs with PostgreSQL's bulk-load settings (no fsync, no full-page images, checkpoints
 * far apart: the data files end up the same); the settings are reset and a checkpoint taken before
 * anything is measured, so every figure is of the durable configuration (fsync on, synchronous_commit
 * on). --durable-seed keeps the durable settings during the load too.
 */
const BULK = { fsync: 'off', full_page_writes: 'off', max_wal_size: "'8GB'", checkpoint_timeout: "'1h'" };

export async function bulkLoadSettings(pool: pg.Pool, on: boolean): Promise<void> {
  for (const [k, v] of Object.entries(BULK))
    await pool.query(on ? `alter system set ${k} = ${v}` : `alter system reset ${k}`);
  await pool.query('select pg_reload_conf()');
  if (!on) await pool.query('checkpoint');
}

/** What the measured phases ran with (read back, not assumed). */
export async function durabilitySettings(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `select name, setting from pg_settings
      where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'max_wal_size')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

export interface IndexFacts {
  campaign: string;
  index: string;
  mb: number;
  /** B-tree levels above the leaves (pageinspect's bt_metap); null when pageinspect is not there. */
  levels: number | null;
}

/**
 * Size and depth of the indexes of a campaign's customers and personal rows: its own partitions
 * (customers_c<id>, customer_personal_c<id>) once the tables are partitioned, the shared tables before.
 */
export async function indexFacts(
  pool: pg.Pool,
  campaigns: { slug: string; id: string }[],
): Promise<IndexFacts[]> {
  const inspect = await pool
    .query('create extension if not exists pageinspect')
    .then(() => true)
    .catch(() => false);
  const out: IndexFacts[] = [];
  for (const c of campaigns) {
    const { rows } = await pool.query<{ index: string; mb: string; levels: number | null }>(
      `select i.relname as index, round(pg_relation_size(i.oid) / 1048576.0, 1) as mb,
              ${inspect ? `(select level from bt_metap(i.relname::text))` : 'null::int'} as levels
         from unnest(array['customers', 'customer_personal']) as t(name)
         join pg_class tbl on tbl.oid = coalesce(to_regclass(t.name || '_c' || $1), to_regclass(t.name))
         join pg_index x on x.indrelid = tbl.oid
         join pg_class i on i.oid = x.indexrelid and i.relam = (select oid from pg_am where amname = 'btree')
        order by tbl.relname, i.relname`,
      [c.id],
    );
    for (const r of rows)
      out.push({
        campaign: c.slug,
        index: r.index,
        mb: Number(r.mb),
        levels: r.levels === null ? null : Number(r.levels),
      });
  }
  return out;
}
