import { describe, expect, it } from 'vitest';
import { runWorker } from '../jobs/worker.js';
import { createApp } from '../src/app/create-app.js';
import { buildCampaign, buildCustomer, buildEmoneyPool, redeem } from './support/factories.js';
import { useIsolatedServices, waitFor } from './support/isolated.js';
import { CustomerBrowser } from './support/web.js';

const iso = useIsolatedServices({ WORKER_LOCK_MS: '2000' });

describe('when Redis is down', () => {
  it('then customers still redeem and see their code, and every gift is fulfilled once Redis returns', async () => {
    const { deps } = iso;
    const stopWorker = await runWorker(iso.config, { concurrency: 4 });
    try {
      const campaign = await buildCampaign(deps);
      await buildEmoneyPool(deps, campaign, 20);
      await iso.stopRedis();

      const web = await buildCustomer(deps, campaign);
      const browser = new CustomerBrowser(createApp(deps), campaign.slug);
      await browser.login(web.registrationCode, web.loginKey);
      const done = await browser.complete({ option: 'emoney', brand: 'edy', dataChoice: 'none' });
      expect(done.status).toBe(303);
      expect((await browser.agent.get(done.headers.location!)).text).toMatch(/EDY-|T-t-/);

      const ids: string[] = [];
      for (let i = 0; i < 15; i++) {
        const c = await buildCustomer(deps, campaign);
        ids.push(
          await redeem(
            deps,
            campaign,
            c.id,
            i % 3
              ? { option: 'emoney', brand: 'nanaco', dataChoice: 'none' }
              : { option: 'donation', dataChoice: 'none' },
          ),
        );
      }
      await new Promise((r) => setTimeout(r, 1000));
      const pending = await deps.db
        .selectFrom('outbox')
        .select('id')
        .where('relayed_at', 'is', null)
        .execute();
      expect(pending.length).toBe(16);
      const fulfilled = await deps.db
        .selectFrom('redemptions')
        .select('id')
        .where('fulfilled_at', 'is not', null)
        .execute();
      expect(fulfilled).toHaveLength(0);

      await iso.startRedis();
      await waitFor(
        async () =>
          (await deps.db.selectFrom('redemptions').select('id').where('fulfilled_at', 'is', null).execute())
            .length === 0,
        30_000,
        'every redemption fulfilled',
      );
      const perRedemption = await deps.db
        .selectFrom('redemptions as r')
        .leftJoin('emoney_codes as e', 'e.redemption_id', 'r.id')
        .leftJoin('donation_ledger as d', 'd.redemption_id', 'r.id')
        .select([
          'r.id',
          'r.option',
          (eb) => eb.fn.count('e.id').as('codes'),
          (eb) => eb.fn.count('d.redemption_id').as('ledger'),
        ])
        .groupBy(['r.id', 'r.option'])
        .execute();
      expect(perRedemption).toHaveLength(16);
      for (const r of perRedemption) {
        expect(Number(r.option === 'emoney' ? r.codes : r.ledger)).toBe(1);
      }
    } finally {
      // Bounded, so that a failure above is reported as itself rather than as a test timeout.
      await Promise.race([stopWorker(), new Promise((r) => setTimeout(r, 10_000))]);
    }
  }, 60_000);
});
