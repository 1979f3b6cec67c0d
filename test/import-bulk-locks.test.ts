import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';
import { importPeople } from './support/letters.js';

const deps = useTestDeps();

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ref: `L${i + 1}`,
    name: `見本 花子${i + 1}`,
    kana: 'ミホン ハナコ',
    birthDate: '1980-04-01',
    postalCode: '100-0004',
  }));

describe('the bulk import beside long transactions', () => {
  it('when another campaign’s transaction reads personal data all along, then the import of a new campaign goes through (it takes no lock the reader holds off)', async () => {
    const other = await buildCampaign(deps);
    await givePersonalDetails(deps, await buildCustomer(deps, other));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reading!: () => void;
    const read = new Promise<void>((r) => (reading = r));
    const holder = deps.db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('customer_personal')
        .select('customer_id')
        .where('campaign_id', '=', other.id)
        .execute();
      reading();
      await held;
    });
    // If the holder fails before it reads, its error ends the wait (and the test).
    await Promise.race([read, holder]);
    try {
      const campaign = await buildCampaign(deps);
      const { letters } = await importPeople(deps, campaign, people(3));
      expect(letters).toHaveLength(3);
      // Before migration 018 each of its twenty lock tries waited 500 ms here and it failed (55P03).
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from customer_personal where campaign_id = ${campaign.id}`.execute(deps.db);
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      release();
      await holder;
    }
  }, 60_000);
});
