import { describe, expect, it } from 'vitest';
import { eraseCustomer } from '../../src/erasure/erasure.repo.js';
import { redeemOnWeb } from '../../src/redemption/redemption.service.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from '../support/factories.js';

/** A gift for someone whose data was erased a moment earlier. ASVS numbering: OWASP ASVS 5.0.0. */

const deps = useTestDeps();

const redemptionsOf = (customerId: string) =>
  deps.db.selectFrom('redemptions').select('id').where('customer_id', '=', customerId).execute();

describe('redemption and erasure', () => {
  it('ASVS 5.0 2.3.3, 2.3.4: when a customer is erased while their redemption is in flight, then the redemption waits for the erasure and is refused', async () => {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 2);
    const customer = await buildCustomer(deps, campaign);

    let commitErasure!: () => void;
    const erasing = new Promise<void>((resolve) => (commitErasure = resolve));
    let erasedInTransaction!: () => void;
    const erasedYet = new Promise<void>((resolve) => (erasedInTransaction = resolve));
    // The erasure runs first and holds its transaction open...
    const erasure = deps.db.transaction().execute(async (trx) => {
      await eraseCustomer(trx, customer.id, new Date());
      erasedInTransaction();
      await erasing;
    });
    await erasedYet;
    // ...while the customer, who loaded the page before it, submits their choice.
    const redemption = deps.db
      .transaction()
      .execute((trx) =>
        redeemOnWeb(
          trx,
          campaign,
          customer.id,
          { option: 'emoney', brand: 'edy', dataChoice: 'none' },
          new Date(),
        ),
      );
    const settled = redemption.then(
      () => 'redeemed',
      (e: Error) => e.message,
    );
    // Without the lock the redemption would not wait: it would be done well within this time.
    const early = await Promise.race([settled, new Promise((r) => setTimeout(() => r('waiting'), 500))]);
    expect(early).toBe('waiting');
    commitErasure();
    await erasure;
    expect(await settled).toMatch(/^conflict: お客様の個人情報はすでに消去されています/);
    expect(await redemptionsOf(customer.id)).toEqual([]);
  });

  it('ASVS 5.0 2.3.1: when an erased customer submits a redemption, then it is refused and nothing is written', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    await deps.db.transaction().execute((trx) => eraseCustomer(trx, customer.id, new Date()));
    await expect(
      deps.db
        .transaction()
        .execute((trx) =>
          redeemOnWeb(trx, campaign, customer.id, { option: 'donation', dataChoice: 'none' }, new Date()),
        ),
    ).rejects.toThrow(/すでに消去されています/);
    expect(await redemptionsOf(customer.id)).toEqual([]);
  });
});
