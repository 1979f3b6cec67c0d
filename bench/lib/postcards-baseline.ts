import type pg from 'pg';
import { postcardsLog as log } from './log.js';
import { latencyFigures, measurePhase, type LatencyFigures } from './postcards-phase.js';

/**
 * What the same PostgreSQL does with no service in front, measured in the same run as the
 * postcards' phases: the CSV's rows written set-based (`insert … select from unnest`, one
 * statement and durable commit per file's worth of rows) into a table with only a primary key,
 * and single-row inserts, one durable commit each, one after another (the single-card save's floor).
 */
export interface PostcardsBaseline {
  rowsPerS: number;
  insertMs: LatencyFigures;
}

export async function measurePostcardsBaseline(
  pool: pg.Pool,
  rows: number,
  perStatement: number,
  singles: number,
  quietWaitS: number,
): Promise<PostcardsBaseline> {
  await pool.query(
    'create table bench_postcards_baseline (id bigint primary key, code text not null, at timestamptz not null)',
  );
  try {
    const bulk = await measurePhase('baseline (set-based insert)', quietWaitS, async () => {
      const t0 = performance.now();
      for (let lo = 1; lo <= rows; lo += perStatement) {
        const ids = Array.from({ length: Math.min(perStatement, rows - lo + 1) }, (_, i) => lo + i);
        await pool.query(
          `insert into bench_postcards_baseline (id, code, at)
           select i, 'C' || lpad(i::text, 11, '0'), now() from unnest($1::bigint[]) i`,
          [ids],
        );
      }
      return performance.now() - t0;
    });
    const single = await measurePhase('baseline (single inserts)', quietWaitS, async () => {
      const ms: number[] = [];
      for (let i = 1; i <= singles; i++) {
        const t0 = performance.now();
        await pool.query('insert into bench_postcards_baseline (id, code, at) values ($1, $2, now())', [
          rows + i,
          `S${i}`,
        ]);
        ms.push(performance.now() - t0);
      }
      return ms;
    });
    const baseline = {
      rowsPerS: Math.round(rows / (bulk.value / 1000)),
      insertMs: latencyFigures(single.value),
    };
    log(
      `baseline: ${rows} rows set-based in ${(bulk.value / 1000).toFixed(1)} s = ${baseline.rowsPerS} rows/s; ` +
        `single-row insert ${JSON.stringify(baseline.insertMs)} ms`,
    );
    return baseline;
  } finally {
    await pool.query('drop table bench_postcards_baseline');
  }
}
