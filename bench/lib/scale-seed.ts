import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { CodeKeys } from './scale-codes.js';
import { RowWorkers } from './scale-rows.js';
import { retryOnLockConflict } from '../../src/platform/pg-retry.js';

/**
 * Loads notified customers into one campaign in chunks, never holding more than a few chunks in
 * memory: worker threads make each chunk's codes and login-key hashes (COPY text), each writer
 * COPYs its chunk into a staging table of its own and makes the customers and their personal rows
 * from it in one statement. Customer `i` (global index, unique in the run) is
 * registrationCodeAt(keys, i) / loginKeyAt(keys, i) (bench/lib/scale-codes.ts).
 *
 * Columns no page of the load reads an index of (source_ref_hash, person_digest) are filled with
 * the index itself as 32 bytes: unique like the keyed hashes, but their indexes grow at the right
 * edge instead of paying a random insert each. The registration code, the login-key hash and every
 * row of customer_personal are what an import would write.
 */
export interface CustomerLoad {
  campaignId: string;
  /** Global index of the first customer: campaigns of one run take disjoint ranges. */
  first: number;
  count: number;
  keys: CodeKeys;
  /** The service's LOGIN_KEY_PEPPER; null: placeholder key hashes (nobody logs in). */
  pepper: string | null;
  /** Every `erasureEvery`-th customer asked for erasure before the letter (0: none). */
  erasureEvery: number;
  /** Every `webEvery`-th customer already redeemed on the web (0: none). */
  webEvery: number;
  chunk: number;
  writers: number;
  /** performance.now() after which no further chunk is started; chunks already started finish. */
  deadline: number;
  progress: (loaded: number, seconds: number) => void;
}

const LEAKED = ['name_gender_birth', 'household', 'postal_code', 'address', 'phone'];
const bytes32 = (col: string) => `decode(lpad(to_hex(${col}), 64, '0'), 'hex')`;

/**
 * One statement: the chunk's customers, their personal rows (campaign_id named: partition routing)
 * and, for every `webEvery`-th of them, a redemption made on the web before. Returns the personal rows.
 */
const INSERT_CHUNK = (stage: string) => `
  with c as (
    insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items, erasure_requested_before)
    select $1, s.code, coalesce(s.key_hash, ${bytes32('s.i')}), ${bytes32('s.i')}, $2::text[], $3 > 0 and s.i % $3 = 7
      from ${stage} s order by s.i
    returning id
  ), p as (
    insert into customer_personal
      (customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code, address, phone, household, person_digest)
    select c.id, $1, '試験 太郎' || c.id, 'シケン タロウ', '1980-04-01', '1000004',
           '東京都千代田区大手町' || (c.id % 9 + 1) || '-' || (c.id % 30 + 1) || '-' || c.id, '03-1234-5678',
           case when c.id % 2 = 1 then jsonb_build_array(jsonb_build_object('name', '試験 花子' || c.id, 'relation', '子', 'birthDate', '2010-05-05'))
                else '[]'::jsonb end,
           ${bytes32('c.id')}
      from c
    returning 1
  ), w as (
    insert into redemptions (customer_id, campaign_id, channel, option, amount_yen, data_choice)
    select c.id, $1, 'web', 'donation', 500, 'none' from c where $4 > 0 and c.id % $4 = 25
    returning 1
  )
  select (select count(*) from p)::int as personal, (select count(*) from w)::int as web`;

interface Chunk {
  rows: number;
  text: Promise<string>;
}

/** Hands out the chunks in order, each asked of the workers a few chunks ahead of its writer. */
function chunkSource(spec: CustomerLoad, workers: RowWorkers) {
  const ahead: Chunk[] = [];
  let next = spec.first;
  const end = spec.first + spec.count;
  const fill = () => {
    while (ahead.length < spec.writers + 1 && next < end) {
      const to = Math.min(end, next + spec.chunk);
      ahead.push({
        rows: to - next,
        text: workers.chunk({ keys: spec.keys, pepper: spec.pepper, from: next, to }),
      });
      next = to;
    }
  };
  return (): Chunk | undefined => {
    if (performance.now() >= spec.deadline) return undefined;
    fill();
    const c = ahead.shift();
    fill();
    return c;
  };
}

async function writer(
  pool: pg.Pool,
  spec: CustomerLoad,
  take: () => Chunk | undefined,
  done: (n: number, web: number) => void,
) {
  const client = await pool.connect();
  const stage = `bench_scale_stage_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await client.query(
      `create unlogged table ${stage} (i bigint not null, code text not null, key_hash bytea)`,
    );
    for (let c = take(); c; c = take()) {
      const text = await c.text;
      await client.query('begin');
      // The rows are valid by construction: skip the per-row foreign-key triggers (bulk-load practice).
      await client.query('set local session_replication_role = replica');
      await client.query(`truncate ${stage}`);
      await pipeline(
        Readable.from([text]),
        client.query(copyStreams.from(`copy ${stage} (i, code, key_hash) from stdin`)),
      );
      const r = await client.query<{ personal: number; web: number }>(INSERT_CHUNK(stage), [
        spec.campaignId,
        LEAKED,
        spec.erasureEvery,
        spec.webEvery,
      ]);
      const { personal, web } = r.rows[0]!;
      if (personal !== c.rows) throw new Error(`a chunk inserted ${personal} of ${c.rows} customers`);
      await client.query('commit');
      done(c.rows, web);
    }
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.query(`drop table if exists ${stage}`).catch(() => undefined);
    client.release();
  }
}

/** Loads up to spec.count customers (fewer when the deadline passes); returns how many and how long. */
export async function loadCustomers(
  pool: pg.Pool,
  spec: CustomerLoad,
): Promise<{ loaded: number; webRedeemed: number; seconds: number }> {
  await retryOnLockConflict(
    () => pool.query('select create_campaign_partitions($1)', [spec.campaignId]),
    100,
  );
  const workers = new RowWorkers(spec.writers);
  const t0 = performance.now();
  let loaded = 0;
  let webRedeemed = 0;
  const source = chunkSource(spec, workers);
  let failed = false; // one writer's error stops the others at their next chunk
  const take = () => (failed ? undefined : source());
  try {
    await Promise.all(
      Array.from({ length: spec.writers }, () =>
        writer(pool, spec, take, (n, web) => {
          loaded += n;
          webRedeemed += web;
          spec.progress(loaded, (performance.now() - t0) / 1000);
        }).catch((e: unknown) => {
          failed = true;
          throw e;
        }),
      ),
    );
  } finally {
    await workers.close();
  }
  return { loaded, webRedeemed, seconds: (performance.now() - t0) / 1000 };
}
