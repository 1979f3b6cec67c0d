import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { createLogger } from '../src/platform/logger.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    lines.push(String(chunk));
    cb();
  },
});
const deps = useTestDeps({ logger: createLogger('trace', sink) });
const app = createApp(deps);

describe('logs', () => {
  it('when a customer logs in, fails once and redeems e-money, then no code, key, name, address or gift code reaches the log', async () => {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 1);
    const customer = await buildCustomer(deps, campaign, { fullName: '記録 禁止子' });
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, 'WRONGKEY2345');
    const login = await browser.login(customer.registrationCode.toLowerCase(), customer.loginKey);
    expect(login.status).toBe(303);
    const done = await browser.complete({ option: 'emoney', brand: 'edy', dataChoice: 'none' });
    expect(done.status).toBe(303);
    const completion = await browser.agent.get(done.headers.location!);

    // The code the customer was given, and saw: the one secret that left the service on this path.
    const gift = await deps.db
      .selectFrom('emoney_codes')
      .innerJoin('redemptions', 'redemptions.id', 'emoney_codes.redemption_id')
      .select('emoney_codes.code')
      .where('redemptions.customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(completion.text).toContain(gift.code);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [
      customer.registrationCode,
      customer.registrationCode.toLowerCase(),
      customer.loginKey,
      '記録',
      '大手町',
      '1000004',
      gift.code,
      'owabi_session=',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
