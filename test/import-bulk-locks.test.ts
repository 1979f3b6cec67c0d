import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';
import { importPeople } from './support/letters.js';
import { holdPersonalDataReader } from './support/readers.js';

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
    const reader = await holdPersonalDataReader(deps.db, other.id);
    try {
      const campaign = await buildCampaign(deps);
      const { letters } = await importPeople(deps, campaign, people(3));
      expect(letters).toHaveLength(3);
      // Before migration 018 each of its twenty lock tries waited 500 ms here and it failed (55P03).
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from customer_personal where campaign_id = ${campaign.id}`.execute(deps.db);
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      reader.release();
      await reader.rowsAtEnd;
    }
  }, 60_000);
});
