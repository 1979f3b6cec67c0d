import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeCampaign, purgeDueCampaigns } from '../src/purge/purge.service.js';
import { PURGE_MESSAGES } from '../src/purge/purge.messages.js';
import type { AppDeps } from '../src/platform/deps.js';
import type { JobDeps } from '../src/platform/job-deps.js';
import { buildCampaign, buildCustomer, givePersonalDetails } from './support/factories.js';
import { useIsolatedServices } from './support/isolated.js';
import { holdPersonalDataReader } from './support/readers.js';

// A database of our own: "nothing else holds the shared tables" must be true of the first test, and
// on the suite's shared database other files' transactions read customer_personal all the time.
const iso = useIsolatedServices();
const clock = new Date('2001-05-01T00:00:00Z');
let deps: AppDeps;
let jobDeps: JobDeps;
beforeAll(() => {
  deps = { ...iso.deps, now: () => clock };
  jobDeps = { ...deps, redis: new Redis(iso.config.REDIS_URL!) };
});
afterAll(() => jobDeps?.redis.quit().then(() => undefined));

async function campaignWithCustomers(count: number) {
  // A purge deadline the clock never reaches: purgeDueCampaigns (the second test) must only drop
  // what a purge left, never purge these campaigns itself.
  const campaign = await buildCampaign(deps, { deadline: '2001-04-15', purgeDeadline: '2099-12-31' });
  for (let i = 0; i < count; i++) await givePersonalDetails(deps, await buildCustomer(deps, campaign));
  return campaign;
}

const partitionsOf = async (campaignId: string) =>
  (
    await sql<{ t: string | null }>`
      select to_regclass(t)::text as t
        from unnest(array['customer_personal_c' || ${campaignId}::text, 'letter_tokens_c' || ${campaignId}::text]) t`.execute(
      deps.db,
    )
  ).rows.flatMap((r) => (r.t ? [r.t] : []));

describe('purging a campaign’s personal partitions', () => {
  it('when nothing else holds the shared tables, then the partitions are emptied and dropped, and the report says nothing more', async () => {
    const campaign = await campaignWithCustomers(2);
    expect(await partitionsOf(campaign.id)).toHaveLength(2);
    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.outcome).toBe('passed');
    expect(report.countsBefore.customer_personal).toBe(2);
    expect(report.countsAfter.customer_personal).toBe(0);
    expect(await partitionsOf(campaign.id)).toEqual([]);
    expect(report.text.summary).not.toContain(PURGE_MESSAGES.partitionsLeft);
  });

  it('when another campaign’s transaction reads personal data all along, then the purge neither waits for it nor blocks it: the rows go at once, the empty partitions on a later run', async () => {
    const purged = await campaignWithCustomers(2);
    const other = await campaignWithCustomers(1);
    // A customer of another campaign mid-transaction: it holds the parent tables' share lock.
    const reader = await holdPersonalDataReader(deps.db, other.id);
    try {
      const report = await purgeCampaign(jobDeps, purged.id);
      expect(report.outcome).toBe('passed');
      expect(report.countsBefore.customer_personal).toBe(2);
      expect(report.countsAfter.customer_personal).toBe(0);
      expect(report.countsAfter.letter_tokens).toBe(0);
      expect(report.text.summary).toContain(PURGE_MESSAGES.partitionsLeft);
      const left = await partitionsOf(purged.id);
      expect(left).toHaveLength(2);
      for (const t of left) {
        const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(deps.db);
        expect(Number(rows[0]!.n)).toBe(0);
      }
    } finally {
      reader.release();
    }
    // Still served while the purge ran.
    expect(await reader.rowsAtEnd).toHaveLength(1);
    // A later run drops them (a few runs, should one meet a lock of this file's own connections).
    for (let run = 0; run < 30 && (await partitionsOf(purged.id)).length > 0; run++) {
      await purgeDueCampaigns(jobDeps);
    }
    expect(await partitionsOf(purged.id)).toEqual([]);
  });
});
