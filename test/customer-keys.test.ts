import { sql, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/platform/database.js';
import { useOwnerDb, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildRedemption, type TestCustomer } from './support/factories.js';
import { buildStaff } from './support/ops.js';
import { refusalNaming, stillWaiting } from './support/sql-refusals.js';

/**
 * The keys from redemptions, postcard_entries and suppression_list to customers are declared NOT
 * ENFORCED and checked by statement triggers that take no lock on the customer; customers refuse
 * every delete and re-keying instead (migration 2026_12_02_024).
 */
const deps = useTestDeps();
const owner = useOwnerDb();
const NO_SUCH_CUSTOMER = '999999999999';

class Rollback extends Error {}

/** Runs the statements as the owner in a transaction that is always rolled back; rejects with the first refusal. */
const asOwnerRolledBack = (statements: RawBuilder<unknown>[]) =>
  owner()
    .transaction()
    .execute(async (trx) => {
      // Some take an ACCESS EXCLUSIVE lock: never queue the other test files behind a long wait.
      await sql`set local lock_timeout = '5s'`.execute(trx);
      for (const s of statements) await s.execute(trx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (e instanceof Rollback) return;
      throw e;
    });

const insertRedemption = (db: Db, customerId: string, campaignId: string) =>
  sql`insert into redemptions (customer_id, campaign_id, channel, option, amount_yen, data_choice, address_confirmed, redeemed_at)
      values (${customerId}, ${campaignId}, 'web', 'donation', 500, 'none', false, now())`.execute(db);

const insertOptOut = (db: Db, customers: { id: string; campaignId: string }[]) =>
  sql`insert into suppression_list (customer_id, campaign_id, requested_at)
      select * , now() from unnest(${customers.map((c) => c.id)}::bigint[], ${customers.map((c) => c.campaignId)}::bigint[])`.execute(
    db,
  );

async function postcardBatch(campaignId: string) {
  const clerk = await buildStaff(deps, 'clerk');
  const { id } = await deps.db
    .insertInto('postcard_batches')
    .values({
      campaign_id: campaignId,
      label: 'keys',
      physical_count: 10,
      opened_by: clerk.id,
      opened_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { batchId: id, clerkId: clerk.id };
}

const insertEntries = (
  db: Db,
  batch: { batchId: string; clerkId: string },
  campaignId: string,
  customerIds: (string | null)[],
) =>
  sql`insert into postcard_entries (batch_id, campaign_id, seq, registration_code, customer_id, outcome, entered_by, entered_at)
      select ${batch.batchId}, ${campaignId}, t.seq, 'X', t.customer_id, 'invalid', ${batch.clerkId}, now()
        from unnest(${customerIds}::bigint[]) with ordinality as t(customer_id, seq)`.execute(db);

describe('the keys to customers', () => {
  it('when a redemption, an opt-out or a postcard entry names a customer that does not exist, or one of another campaign, then the whole statement is refused as a foreign key violation', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const stranger = await buildCustomer(deps);
    expect(
      await refusalNaming(
        insertRedemption(deps.db, NO_SUCH_CUSTOMER, campaign.id),
        'redemptions_customer_fkey',
      ),
    ).toBe('23503');
    expect(
      await refusalNaming(insertRedemption(deps.db, stranger.id, campaign.id), 'redemptions_customer_fkey'),
    ).toBe('23503');

    const good = { id: customer.id, campaignId: campaign.id };
    const bad = { id: stranger.id, campaignId: campaign.id };
    expect(await refusalNaming(insertOptOut(deps.db, [good, bad]), 'suppression_list_customer_fkey')).toBe(
      '23503',
    );
    // Two campaigns in one statement: each is checked against its own customers.
    const other = await buildCustomer(deps);
    const lost = { id: NO_SUCH_CUSTOMER, campaignId: other.campaignId };
    expect(
      await refusalNaming(
        insertOptOut(deps.db, [good, { id: other.id, campaignId: other.campaignId }, lost]),
        'suppression_list_customer_fkey',
      ),
    ).toBe('23503');

    const batch = await postcardBatch(campaign.id);
    expect(
      await refusalNaming(
        insertEntries(deps.db, batch, campaign.id, [customer.id, stranger.id]),
        'postcard_entries_customer_fkey',
      ),
    ).toBe('23503');

    // Nothing of the refused statements was written; the good rows go in on their own.
    const written = await deps.db
      .selectFrom('suppression_list')
      .select('customer_id')
      .where('customer_id', 'in', [customer.id, other.id])
      .execute();
    expect(written).toEqual([]);
    await insertRedemption(deps.db, customer.id, campaign.id);
    await insertOptOut(deps.db, [good, { id: other.id, campaignId: other.campaignId }]);
    await insertEntries(deps.db, batch, campaign.id, [customer.id]);
  });

  it('when a postcard entry names no customer (a code nobody holds), then no customer is needed', async () => {
    const campaign = await buildCampaign(deps);
    const batch = await postcardBatch(campaign.id);
    await insertEntries(deps.db, batch, campaign.id, [null, null]);
    const n = await deps.db
      .selectFrom('postcard_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('batch_id', '=', batch.batchId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(2);
  });

  it('when a row is moved to a customer that does not exist, then the update is refused; other columns change freely', async () => {
    const { id, customer } = await buildRedemption(deps);
    const stranger = await buildCustomer(deps);
    const move = sql`update redemptions set customer_id = ${stranger.id} where id = ${id}`;
    expect(await refusalNaming(move.execute(deps.db), 'redemptions_customer_fkey')).toBe('23503');
    await insertOptOut(deps.db, [customer]);
    const moveOptOut = sql`update suppression_list set customer_id = ${NO_SUCH_CUSTOMER} where customer_id = ${customer.id}`;
    expect(await refusalNaming(moveOptOut.execute(deps.db), 'suppression_list_customer_fkey')).toBe('23503');
    await sql`update redemptions set amount_yen = 600 where id = ${id}`.execute(deps.db);
    await sql`update suppression_list set customer_ref = 'R-1' where customer_id = ${customer.id}`.execute(
      deps.db,
    );
  });

  it('when anyone, even the owner, deletes a customer (referenced or not, through the parent or its partition) or moves one to another campaign, then it is refused', async () => {
    const { customer } = await buildRedemption(deps);
    const alone = await buildCustomer(deps);
    const elsewhere = await buildCampaign(deps);
    await buildCustomer(deps, elsewhere); // its partitions exist
    const attempts = [
      sql`delete from customers where id = ${customer.id}`,
      sql`delete from customers where campaign_id = ${alone.campaignId} and id = ${alone.id}`,
      sql`update customers set campaign_id = ${elsewhere.id} where id = ${alone.id}`,
    ];
    for (const attempt of attempts) {
      expect(await refusalNaming(attempt.execute(deps.db), 'never deleted')).toBe('23001');
      expect(await refusalNaming(asOwnerRolledBack([attempt]), 'never deleted')).toBe('23001');
    }
    // Only the owner can name a partition; its copy of the trigger refuses.
    const fromPartition = sql`delete from ${sql.table(`customers_c${alone.campaignId}`)} where id = ${alone.id}`;
    expect(await refusalNaming(asOwnerRolledBack([fromPartition]), 'never deleted')).toBe('23001');
    const still = await deps.db
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', [customer.id, alone.id])
      .execute();
    expect(still.map((r) => r.id).sort()).toEqual([customer.id, alone.id].sort());
    // An erasure's tombstone is an update of other columns: free.
    await sql`update customers set erasure_requested_before = true where id = ${alone.id}`.execute(deps.db);
  });

  it('when a campaign was purged (no personal partitions left) and its customers are referenced, then PostgreSQL still refuses to truncate or detach their partition, key not enforced or not', async () => {
    const { customer } = await buildRedemption(deps);
    const part = (name: string) => sql.table(`${name}_c${customer.campaignId}`);
    const withoutPersonal = [sql`drop table ${part('customer_personal')}, ${part('letter_tokens')}`];
    const truncate = refusalNaming(
      asOwnerRolledBack([...withoutPersonal, sql`truncate ${part('customers')}`]),
      'redemptions',
    );
    expect(await truncate).toBe('0A000');
    const detach = refusalNaming(
      asOwnerRolledBack([
        ...withoutPersonal,
        sql`alter table customers detach partition ${part('customers')}`,
      ]),
      'redemptions_customer_fkey',
    );
    expect(await detach).toBe('23503');
  });

  it('when the customer is held FOR UPDATE (an erasure, a web redemption), then a redemption, an opt-out or a postcard entry naming them does not wait for it: the check takes no row lock', async () => {
    const campaign = await buildCampaign(deps);
    const customer: TestCustomer = await buildCustomer(deps, campaign);
    const batch = await postcardBatch(campaign.id);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = deps.db.transaction().execute(async (trx) => {
      await sql`select 1 from customers where campaign_id = ${campaign.id} and id = ${customer.id} for update`.execute(
        trx,
      );
      locked();
      await held;
    });
    await isLocked;
    try {
      const writes = deps.db.transaction().execute(async (trx) => {
        await insertRedemption(trx, customer.id, campaign.id);
        await insertOptOut(trx, [customer]);
        await insertEntries(trx, batch, campaign.id, [customer.id]);
      });
      expect(await stillWaiting(writes, 2000)).toBe(false);
      await writes;
    } finally {
      release();
      await holder;
    }
  });
});
