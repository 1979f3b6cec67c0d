import type { Db } from '../../src/platform/database.js';

/**
 * A customer of the campaign mid-transaction: it has read the campaign's personal rows (so it holds
 * the shared parent tables' share lock) and keeps its transaction open until release(). `started`
 * resolves once it has read (or rejects with its error); `rowsAtEnd` reads the rows again before
 * committing — still served, whatever ran meanwhile.
 */
export async function holdPersonalDataReader(db: Db, campaignId: string) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let reading!: () => void;
  const read = new Promise<void>((r) => (reading = r));
  const readRows = (trx: Db) =>
    trx.selectFrom('customer_personal').select('customer_id').where('campaign_id', '=', campaignId).execute();
  const rowsAtEnd = db.transaction().execute(async (trx) => {
    await readRows(trx);
    reading();
    await held;
    return readRows(trx);
  });
  await Promise.race([read, rowsAtEnd]);
  return { release, rowsAtEnd };
}
