import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

let clock = new Date();
const deps = useTestDeps({ now: () => clock });
const app = createApp(deps);
const afterDeadline = (deadlineAt: Date) => new Date(deadlineAt.getTime() + 1000);

describe('the procedure deadline', () => {
  it('when the deadline has passed, then the landing page and a customer without a redemption see the closed notice', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    clock = afterDeadline(campaign.deadlineAt);
    await browser.login(customer.registrationCode, customer.loginKey);

    const landing = await browser.agent.get(`/c/${campaign.slug}`);
    expect(landing.text).toContain('受付は');
    expect(landing.text).toContain('終了しました');
    expect(landing.text).not.toContain('お詫びの品のお手続きはこちら');

    const my = await browser.my();
    expect(my.status).toBe(410);
    expect(my.text).toContain('お手続きの受付は終了しました');
    const post = await browser.complete({ option: 'donation', dataChoice: 'none' });
    expect(post.status).toBe(410);
    const rows = await deps.db
      .selectFrom('redemptions')
      .select('id')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('when the deadline has passed, then a customer who redeemed can still log in and see the e-money code', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 1);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    await browser.complete({ option: 'emoney', brand: 'edy', dataChoice: 'none' });
    clock = afterDeadline(campaign.deadlineAt);

    const later = new CustomerBrowser(app, campaign.slug);
    expect((await later.login(customer.registrationCode, customer.loginKey)).status).toBe(303);
    const status = await later.my();
    expect(status.status).toBe(200);
    expect(status.text).toMatch(/T-t-[a-z0-9-]+-edy-0/);
  });

  it('when the last minute of the deadline day (JST) is reached, then redemptions are still accepted', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    clock = new Date(campaign.deadlineAt.getTime() - 60_000);
    await browser.login(customer.registrationCode, customer.loginKey);
    expect(campaign.deadlineAt.toISOString()).toMatch(/T14:59:59.999Z$/);
    const res = await browser.complete({ option: 'donation', dataChoice: 'none' });
    expect(res.status).toBe(303);
  });
});
