import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

async function setup() {
  const campaign = await buildCampaign(deps);
  await buildEmoneyPool(deps, campaign, 5);
  const customer = await buildCustomer(deps, campaign);
  const browser = new CustomerBrowser(app, campaign.slug);
  return { campaign, customer, browser };
}

const STEP_URLS = ['/my/confirm', '/my/complete'];

describe('reloading a step of the redemption flow', () => {
  it('when not logged in, then a GET of a POST-only step redirects to the login page', async () => {
    const { campaign, browser } = await setup();
    for (const url of STEP_URLS) {
      const res = await browser.agent.get(`/c/${campaign.slug}${url}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/c/${campaign.slug}/login`);
    }
  });

  it('when logged in but not redeemed, then a GET of a step redirects to the choice page', async () => {
    const { campaign, customer, browser } = await setup();
    await browser.login(customer.registrationCode, customer.loginKey);
    for (const url of STEP_URLS) {
      const res = await browser.agent.get(`/c/${campaign.slug}${url}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/c/${campaign.slug}/my`);
    }
    expect((await browser.my()).text).toContain('漏えいしたお客様の情報');
  });

  it('when redeemed, then a GET of a step redirects to the status page', async () => {
    const { campaign, customer, browser } = await setup();
    await browser.login(customer.registrationCode, customer.loginKey);
    const form = { option: 'emoney', brand: 'nanaco', dataChoice: 'marketing_optout' };
    await browser.confirm(form);
    expect((await browser.complete(form)).status).toBe(303);
    for (const url of STEP_URLS) {
      const res = await browser.agent.get(`/c/${campaign.slug}${url}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/c/${campaign.slug}/my`);
      const landed = await browser.agent.get(`/c/${campaign.slug}/my`);
      expect(landed.status).toBe(200);
      expect(landed.text).not.toContain('お手続き内容の確認');
    }
  });
});
