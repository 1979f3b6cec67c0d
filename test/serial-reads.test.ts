import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../src/platform/db.js';
import { withoutParallelWorkers } from '../src/platform/serial-reads.js';
import { useTestDeps } from './support/context.js';

const deps = useTestDeps();

describe('reads without parallel workers (the purge’s guard and counts)', () => {
  // One connection, so the statement after the transaction runs on the connection it used.
  const db = createDb(createPool(deps.config.DATABASE_URL, 1));
  afterAll(() => db.destroy());
  const setting = async (on: typeof db | Parameters<Parameters<typeof withoutParallelWorkers>[1]>[0]) =>
    (await sql<{ v: string }>`select current_setting('max_parallel_workers_per_gather') as v`.execute(on))
      .rows[0]!.v;

  it('when reads run through withoutParallelWorkers, then they get no parallel workers, and the connection has its setting back afterwards', async () => {
    const before = await setting(db);
    expect(before).not.toBe('0');
    expect(await withoutParallelWorkers(db, (trx) => setting(trx))).toBe('0');
    expect(await setting(db)).toBe(before);
  });

  it('when the reads fail, then the error comes out and the setting is back as well', async () => {
    const before = await setting(db);
    await expect(
      withoutParallelWorkers(db, async (trx) => sql`select 1 / 0`.execute(trx)),
    ).rejects.toMatchObject({ code: '22012' });
    expect(await setting(db)).toBe(before);
  });
});
