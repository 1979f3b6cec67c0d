import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { setShippingAddress } from '../src/customers/customer.repo.js';
import { addToSuppressionList } from '../src/erasure/suppression.repo.js';
import type { Db } from '../src/platform/database.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';

const deps = useTestDeps();

/** The campaigns whose partitions (tables or their indexes) this transaction holds a lock on. */
async function lockedPartitionCampaigns(trx: Db): Promise<string[]> {
  const { rows } = await sql<{ campaign: string }>`
    select distinct substring(c.relname from '^(?:customers|customer_personal|letter_tokens)_c([0-9]+)') as campaign
      from pg_locks l join pg_class c on c.oid = l.relation
     where l.pid = pg_backend_pid() and c.relname ~ '^(customers|customer_personal|letter_tokens)_c[0-9]+'`.execute(
    trx,
  );
  return rows.map((r) => r.campaign);
}

async function campaignWithCustomer() {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  await givePersonalDetails(deps, customer);
  return { campaign, customer };
}

// Each campaign has its own partitions: a statement that names only the customer's id reads (and
// locks) every campaign's, a cost that grows with the number of campaigns on the customers' path.
describe('statements of one campaign touch its partitions only', () => {
  it('when a book card’s address is set and a customer opts out of marketing, then only their campaign’s partitions are locked', async () => {
    await campaignWithCustomer(); // another campaign, with partitions of its own
    const { campaign, customer } = await campaignWithCustomer();
    const locked = await deps.db.transaction().execute(async (trx) => {
      await setShippingAddress(
        trx,
        { campaignId: campaign.id, customerId: customer.id },
        '1000004',
        '東京都千代田区大手町1-1',
      );
      await addToSuppressionList(trx, campaign.id, [customer.id], new Date());
      return lockedPartitionCampaigns(trx);
    });
    expect(locked).toEqual([campaign.id]);
    const row = await deps.db
      .selectFrom('suppression_list')
      .select(['campaign_id', 'customer_ref'])
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.campaign_id).toBe(campaign.id);
    expect(row.customer_ref).not.toBeNull();
  });
});
