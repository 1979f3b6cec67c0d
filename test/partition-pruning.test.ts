import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { setShippingAddress } from '../src/customers/customer.repo.js';
import { markOptOutsExported } from '../src/erasure/suppression-export.repo.js';
import { addToSuppressionList } from '../src/erasure/suppression.repo.js';
import { countUnbatchedCards } from '../src/fulfilment/fulfilment-admin.repo.js';
import { letterTokenHash } from '../src/letters/letter-token.js';
import { findLetter } from '../src/letters/letter-token.repo.js';
import type { Db } from '../src/platform/database.js';
import { countPurgeRisks } from '../src/purge/deadline.repo.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';
import { importPeople } from './support/letters.js';

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
  it('when a book card’s address is set, a customer opts out of marketing and the campaign’s open work is counted, then only that campaign’s partitions are locked', async () => {
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
      // The operators' counts of one campaign: unbatched book cards, and the purge warning's risks.
      await countUnbatchedCards(trx, campaign.id);
      await countPurgeRisks(trx, campaign.id);
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

  it('when a letter’s token is checked and opt-outs are marked exported, then only that campaign’s partitions are locked', async () => {
    await campaignWithCustomer();
    const campaign = await buildCampaign(deps);
    const person = {
      ref: 'P1',
      name: '見本 花子',
      kana: 'ミホン ハナコ',
      birthDate: '1980-04-01',
      postalCode: '100-0004',
    };
    const { letters } = await importPeople(deps, campaign, [person]);
    const { locked, found } = await deps.db.transaction().execute(async (trx) => {
      const hash = letterTokenHash(deps.config.LOGIN_KEY_PEPPER, letters[0]!.token);
      const letter = await findLetter(trx, campaign.id, hash);
      await addToSuppressionList(trx, campaign.id, [letter!.customerId], new Date());
      await markOptOutsExported(trx, campaign.id, [letter!.customerId], new Date());
      return { locked: await lockedPartitionCampaigns(trx), found: letter };
    });
    expect(found?.registrationCode).toBe(letters[0]!.registrationCode);
    expect(locked).toEqual([campaign.id]);
  });
});
