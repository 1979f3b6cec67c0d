import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/platform/database.js';
import { useTestDeps } from './support/context.js';
import { buildBookCardRedemption, buildCampaign, buildShippingBatch } from './support/factories.js';
import { refusalNaming, stillWaiting } from './support/sql-refusals.js';

/**
 * shipping_lines' two foreign keys are declared NOT ENFORCED and checked by statement triggers
 * instead (migration 2026_12_01_016): the same rule and the same KEY SHARE locks as real keys.
 */
const deps = useTestDeps();

const insertLine = (db: Db, redemptionId: string, batchId: string, lineNo = 1) =>
  sql`insert into shipping_lines (redemption_id, batch_id, line_no)
      values (${redemptionId}, ${batchId}, ${lineNo})`.execute(db);

/** The SQLSTATE of a refusal that names shipping_lines (not some other table's key). */
const refused = (work: Promise<unknown>) => refusalNaming(work, 'shipping_lines');

async function cardAndBatch() {
  const campaign = await buildCampaign(deps);
  const card = await buildBookCardRedemption(deps, campaign);
  const batchId = await buildShippingBatch(deps, campaign);
  return { campaign, card, batchId };
}

describe('the keys of shipping lines', () => {
  it('when a line names a redemption or a batch that does not exist, then the insert is refused as a foreign key violation', async () => {
    const { card, batchId } = await cardAndBatch();
    expect(await refused(insertLine(deps.db, '999999999999', batchId))).toBe('23503');
    expect(await refused(insertLine(deps.db, card.id, '999999999999'))).toBe('23503');
    // One bad line in a set refuses the whole statement.
    const other = await buildBookCardRedemption(deps, await buildCampaign(deps));
    const both = sql`insert into shipping_lines (redemption_id, batch_id, line_no)
                     values (${card.id}, ${batchId}, 1), (${other.id}, ${batchId}, 2), (999999999999, ${batchId}, 3)`;
    expect(await refused(both.execute(deps.db))).toBe('23503');
    const lines = await deps.db
      .selectFrom('shipping_lines')
      .select('redemption_id')
      .where('batch_id', '=', batchId)
      .execute();
    expect(lines).toEqual([]);
    await insertLine(deps.db, card.id, batchId);
  });

  it('when a line changes its batch to one that does not exist, then the update is refused; a tracking number changes freely', async () => {
    const { card, batchId } = await cardAndBatch();
    await insertLine(deps.db, card.id, batchId);
    const move = sql`update shipping_lines set batch_id = 999999999999 where redemption_id = ${card.id}`;
    expect(await refused(move.execute(deps.db))).toBe('23503');
    await sql`update shipping_lines set tracking_number = 'T-1' where redemption_id = ${card.id}`.execute(
      deps.db,
    );
  });

  it('when a redemption or a batch has lines, then it cannot be deleted', async () => {
    const { card, batchId } = await cardAndBatch();
    await insertLine(deps.db, card.id, batchId);
    expect(await refused(sql`delete from redemptions where id = ${card.id}`.execute(deps.db))).toBe('23503');
    expect(await refused(sql`delete from shipping_batches where id = ${batchId}`.execute(deps.db))).toBe(
      '23503',
    );
  });

  it('when the redemption is held FOR UPDATE, then a line for it waits until that transaction ends (KEY SHARE, as a key takes)', async () => {
    const { card, batchId } = await cardAndBatch();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = deps.db.transaction().execute(async (trx) => {
      await sql`select 1 from redemptions where id = ${card.id} for update`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    const insert = insertLine(deps.db, card.id, batchId);
    expect(await stillWaiting(insert)).toBe(true);
    release();
    await holder;
    await insert;
  });

  it('when a line is being inserted, then deleting its redemption waits for it and is then refused', async () => {
    const { card, batchId } = await cardAndBatch();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const isInserted = new Promise<void>((r) => (inserted = r));
    const inserter = deps.db.transaction().execute(async (trx) => {
      await insertLine(trx, card.id, batchId);
      inserted();
      await held;
    });
    await isInserted;
    const del = sql`delete from redemptions where id = ${card.id}`.execute(deps.db);
    const outcome = refused(del);
    expect(await stillWaiting(del)).toBe(true);
    release();
    await inserter;
    expect(await outcome).toBe('23503');
  });
});
