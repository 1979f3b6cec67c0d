import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { CustomerBrowser, csrfFrom } from './support/web.js';

let clock = new Date();
const deps = useTestDeps({ now: () => clock }, { CLIENT_FAILURES_PER_MINUTE: '20', TRUST_PROXY_HOPS: '1' });
const app = createApp(deps);
const randomIp = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

async function attempt(browser: CustomerBrowser, ip: string, code: string, key: string) {
  const page = await browser.agent.get(`/c/${browser.slug}/login`).set('X-Forwarded-For', ip);
  return browser.agent
    .post(`/c/${browser.slug}/login`)
    .set('X-Forwarded-For', ip)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), registrationCode: code, loginKey: key });
}

describe('login lockout and throttling', () => {
  it('when a code fails 10 times, then it is locked for 30 minutes even with the right key, with the contact number', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    for (let i = 0; i < 10; i++) {
      const res = await attempt(browser, randomIp(), customer.registrationCode, 'WRONGKEY2345');
      expect(res.status).toBe(401);
    }
    const locked = await attempt(browser, randomIp(), customer.registrationCode, customer.loginKey);
    expect(locked.status).toBe(423);
    expect(locked.text).toContain('一時的に停止しています');
    expect(locked.text).toContain('0120-000-000');

    clock = new Date(clock.getTime() + 31 * 60_000);
    const later = await attempt(browser, randomIp(), customer.registrationCode, customer.loginKey);
    expect(later.status).toBe(303);
    const outcomes = await deps.db
      .selectFrom('login_attempts')
      .select('outcome')
      .where('customer_id', '=', customer.id)
      .execute();
    expect(outcomes.map((o) => o.outcome).sort()).toEqual([...Array(10).fill('failure'), 'success'].sort());
  });

  it('when a code is locked, then other codes still log in', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const victim = await buildCustomer(deps, campaign);
    const other = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    for (let i = 0; i < 10; i++) await attempt(browser, randomIp(), victim.registrationCode, 'WRONGKEY2345');
    expect((await attempt(browser, randomIp(), other.registrationCode, other.loginKey)).status).toBe(303);
  });

  it('when one client fails 20 times in a minute across codes, then it is slowed with a clear message', async () => {
    clock = new Date();
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    const ip = randomIp();
    for (let i = 0; i < 20; i++) {
      const other = await buildCustomer(deps, campaign);
      expect((await attempt(browser, ip, other.registrationCode, 'WRONGKEY2345')).status).toBe(401);
    }
    const slowed = await attempt(browser, ip, customer.registrationCode, customer.loginKey);
    expect(slowed.status).toBe(429);
    expect(slowed.text).toContain('しばらく時間をおいてから');
    expect((await attempt(browser, randomIp(), customer.registrationCode, customer.loginKey)).status).toBe(
      303,
    );
    clock = new Date(clock.getTime() + 61_000);
    expect(
      (
        await attempt(
          new CustomerBrowser(app, campaign.slug),
          ip,
          customer.registrationCode,
          customer.loginKey,
        )
      ).status,
    ).toBe(303);
  });
});
