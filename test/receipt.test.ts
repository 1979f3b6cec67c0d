import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import {
  formatReference,
  redemptionIdFromReference,
  referenceFor,
  referenceKey,
} from '../src/redemption/receipt.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';
import { lookUp } from './support/contact-flow.js';
import { staffSessions } from './support/ops.js';
import { maskName } from '../src/customers/mask.js';

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

const referenceOn = (html: string) => /data-testid="reference">([^<]+)</.exec(html)?.[1];
const dateOn = (html: string) => /data-testid="receipt-date">([^<]+)</.exec(html)?.[1];

describe('the receipt', () => {
  it('when a customer completes, then the completion and every later status page show the same reference number and the JST date', async () => {
    const { campaign, customer, browser } = await setup();
    await browser.login(customer.registrationCode, customer.loginKey);
    const form = { option: 'emoney', brand: 'nanaco', dataChoice: 'none' };
    await browser.confirm(form);
    await browser.complete(form);
    const done = await browser.agent.get(`/c/${campaign.slug}/my?done=1`);
    const reference = referenceOn(done.text);
    expect(reference).toMatch(/^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$/);
    const r = await deps.db
      .selectFrom('redemptions')
      .select(['id', 'redeemed_at'])
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    const jstDay = new Date(r.redeemed_at.getTime() + 9 * 3_600_000);
    expect(dateOn(done.text)).toBe(
      `${jstDay.getUTCFullYear()}年${jstDay.getUTCMonth() + 1}月${jstDay.getUTCDate()}日`,
    );
    const again = new CustomerBrowser(app, campaign.slug);
    await again.login(customer.registrationCode, customer.loginKey);
    const status = await again.my();
    expect(referenceOn(status.text)).toBe(reference);
    // The contact centre can go back from the number to the redemption.
    expect(redemptionIdFromReference(referenceKey(deps.config), reference!.toLowerCase())).toBe(r.id);
  });

  it('when ids follow each other, then their reference numbers do not, and each decodes back; a mistyped one is refused', () => {
    const key = referenceKey(deps.config);
    const refs = ['1', '2', '3', '4', '5'].map((id) => referenceFor(key, id));
    expect(new Set(refs.map((r) => r.slice(0, 4))).size).toBe(5);
    refs.forEach((ref, i) =>
      expect(redemptionIdFromReference(key, formatReference(ref))).toBe(String(i + 1)),
    );
    const ref = refs[0]!;
    const typo = (ref[0] === 'A' ? 'B' : 'A') + ref.slice(1);
    expect(redemptionIdFromReference(key, typo)).toBeNull();
    const swapped = ref[1]! + ref[0]! + ref.slice(2);
    if (swapped !== ref) expect(redemptionIdFromReference(key, swapped)).toBeNull();
    expect(redemptionIdFromReference(key, 'ABC')).toBeNull();
  });

  it('when the key differs (another installation), then the same id gets another number', () => {
    const other = referenceKey({ LOGIN_KEY_PEPPER: 'x'.repeat(40) });
    expect(referenceFor(other, '42')).not.toBe(referenceFor(referenceKey(deps.config), '42'));
  });
});

describe('the contact centre finds a receipt', () => {
  const { clerk } = staffSessions(app, deps);

  it("when a clerk types the reference number the customer reads out, then the customer's masked record opens, and a made-up one finds nobody", async () => {
    const { campaign, customer } = await setup();
    const { redeem } = await import('./support/factories.js');
    const redemptionId = await redeem(deps, campaign, customer.id, {
      option: 'donation',
      dataChoice: 'none',
    });
    const reference = formatReference(referenceFor(referenceKey(deps.config), redemptionId));
    const { ops } = await clerk();
    const { res } = await lookUp(ops, reference.toLowerCase());
    expect(res.status).toBe(200);
    expect(res.text).toContain(maskName(customer.fullName));
    const other = referenceFor(referenceKey(deps.config), String(Number(redemptionId) + 1_000_000));
    expect((await lookUp(ops, other)).res.status).toBe(404);
    expect(
      (await lookUp(ops, reference.slice(0, -1) + (reference.endsWith('A') ? 'B' : 'A'))).res.status,
    ).toBe(400);
  });
});
