import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { findEmoneyCode, freeCodeOfBrand } from '../src/pools/emoney-codes.repo.js';
import { useOwnerDb, useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool, redeem } from './support/factories.js';

/**
 * Issue 13: taking a code from the pool is one index probe, whatever the statistics say. A pool
 * uploaded brand by brand and analysed while mostly free made the planner read the primary key in id
 * order and filter: every code of the brands uploaded before, 20–35 ms per redemption at 100,000
 * codes (see freeCodeOfBrand).
 */
const deps = useTestDeps();
/** VACUUM and ANALYZE are the owner's. */
const owner = useOwnerDb();

interface PlanNode {
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const indexesOf = (n: PlanNode): string[] => [
  ...(n['Index Name'] ? [n['Index Name']] : []),
  ...(n.Plans ?? []).flatMap(indexesOf),
];

describe('e-money code allocation', () => {
  it('reads the free-code index, not the primary key, for a pool uploaded brand by brand', async () => {
    const campaign = await buildCampaign(deps);
    // Enough codes for the free-code index to be a level deeper than the primary key: its probe then
    // looks dearer than the first rows of a primary-key scan, which is the plan that went wrong.
    for (const brand of ['edy', 'amazon', 'nanaco']) {
      await sql`insert into emoney_codes (campaign_id, brand, code, amount_yen)
                select ${campaign.id}, ${brand}, ${`PLAN-${campaign.slug}-${brand}-`} || g, 500
                  from generate_series(1, 30000) g`.execute(deps.db);
    }
    await sql`vacuum analyze emoney_codes`.execute(owner());
    for (const brand of ['edy', 'amazon', 'nanaco']) {
      const q = freeCodeOfBrand(deps.db, campaign.id, brand).compile();
      const explain = CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]);
      // FOR UPDATE needs a transaction; EXPLAIN without ANALYZE locks nothing.
      const r = await deps.db.transaction().execute((trx) => trx.executeQuery(explain));
      const plan = (r.rows[0] as { 'QUERY PLAN': [{ Plan: PlanNode }] })['QUERY PLAN'][0].Plan;
      expect(indexesOf(plan), brand).toEqual(['emoney_codes_free_idx']);
    }
  });

  it('hands out the oldest free code of the brand, each code once, then refuses', async () => {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 3, ['edy', 'nanaco']);
    const edy = await deps.db
      .selectFrom('emoney_codes')
      .select('code')
      .where('campaign_id', '=', campaign.id)
      .where('brand', '=', 'edy')
      .orderBy('id')
      .execute();
    const got: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const customer = await buildCustomer(deps, campaign);
      const id = await redeem(deps, campaign, customer.id, {
        option: 'emoney',
        brand: 'edy',
        dataChoice: 'none',
      });
      got.push(await findEmoneyCode(deps.db, id));
    }
    expect(got).toEqual(edy.map((c) => c.code));
    const last = await buildCustomer(deps, campaign);
    await expect(
      redeem(deps, campaign, last.id, { option: 'emoney', brand: 'edy', dataChoice: 'none' }),
    ).rejects.toMatchObject({ code: 'pool_empty' });
  });
});
