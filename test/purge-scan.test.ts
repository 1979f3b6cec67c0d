import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { purgeCampaign } from '../src/purge/purge.service.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { useRedis, useScratchDir, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildRedemption, givePersonalDetails } from './support/factories.js';

const dataDir = useScratchDir();
const deps = useTestDeps({}, { DATA_DIR: dataDir });
const jobDeps: JobDeps = { ...deps, redis: useRedis() };

const databaseCheck = async (campaignId: string) => {
  const report = await purgeCampaign(jobDeps, campaignId);
  return report.checks.find((c) => c.id === 'database')!;
};

describe("the purge's database check reads a column only for the values its type admits", () => {
  it('when sampled values were copied into the tombstones (leaked-item keys, erasure receipt, registration code), then the check finds each one there', async () => {
    const campaign = await buildCampaign(deps); // purged by id below, never due for another file's run
    const [asReceipt, asKey, asCode, tombstone] = await Promise.all(
      [1, 2, 3, 4].map(() => buildCustomer(deps, campaign)),
    );
    for (const c of [asReceipt!, asKey!, asCode!]) await givePersonalDetails(deps, c);
    // Customer numbers a company might use that the constrained columns admit, and a phone number.
    const receipt = 'ER-20010501-000000000777';
    const key = 'left_over_key';
    const setRef = (customerId: string, ref: string) =>
      sql`update customer_personal set customer_ref = ${ref}
           where campaign_id = ${campaign.id} and customer_id = ${customerId}`.execute(deps.db);
    await setRef(asReceipt!.id, receipt);
    await setRef(asKey!.id, key);
    const { rows } = await sql<{ phone: string }>`
      select phone from customer_personal where campaign_id = ${campaign.id} and customer_id = ${asCode!.id}`.execute(
      deps.db,
    );
    // Copies left in the tombstone's columns, which the purge keeps.
    await sql`
      update customers set erasure_receipt = ${receipt}, registration_code = ${rows[0]!.phone},
             leaked_items = array_append(leaked_items, ${key})
       where campaign_id = ${campaign.id} and id = ${tombstone!.id}`.execute(deps.db);

    const check = await databaseCheck(campaign.id);
    expect(check.status).toBe('failed');
    for (const column of ['erasure_receipt', 'leaked_items', 'registration_code']) {
      expect(check.detail).toContain(`customers.${column}（1 行）`);
    }
  });

  it('when a sampled value was copied into a donation’s recipient, then the check finds it through the campaign’s ledger index', async () => {
    const campaign = await buildCampaign(deps);
    const donor = await buildCustomer(deps, campaign);
    await givePersonalDetails(deps, donor);
    const { id } = await buildRedemption(deps, { customer: donor, option: 'donation' });
    await sql`
      insert into donation_ledger (redemption_id, campaign_id, recipient, amount_yen, booked_at)
      select ${id}, ${campaign.id}, full_name, 500, now() from customer_personal
       where campaign_id = ${campaign.id} and customer_id = ${donor.id}`.execute(deps.db);
    const check = await databaseCheck(campaign.id);
    expect(check.status).toBe('failed');
    expect(check.detail).toContain('donation_ledger.recipient（1 行）');
  });

  it('when no sampled value fits a column (names and addresses are no leaked-item key or receipt), then the check passes and says how many columns it did not read', async () => {
    const campaign = await buildCampaign(deps);
    await givePersonalDetails(deps, await buildCustomer(deps, campaign));
    const check = await databaseCheck(campaign.id);
    expect(check.status, check.detail).toBe('passed');
    expect(check.detail).toMatch(
      /うち [2-9] 列は、列の型の制約が控えたどの値も受け付けないため、読まずに済みました/,
    );
  });

  it('when a value does not fit the column, then PostgreSQL refuses to store it there', async () => {
    const customer = await buildCustomer(deps);
    const write = (set: ReturnType<typeof sql>) =>
      sql`update customers set ${set} where campaign_id = ${customer.campaignId} and id = ${customer.id}`.execute(
        deps.db,
      );
    for (const set of [
      sql`leaked_items = array['Phone']`,
      sql`leaked_items = array['phone', null]`,
      sql`leaked_items = array['']`,
      sql`erasure_receipt = '090-1234-5678'`,
    ]) {
      await expect(write(set)).rejects.toMatchObject({ code: '23514' });
    }
  });
});
