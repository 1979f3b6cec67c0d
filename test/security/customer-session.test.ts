import { sql } from 'kysely';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { eraseDue } from '../../src/erasure/erasure.service.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { act, decide, lookUp, requestsOf, useDataDir } from '../support/contact-flow.js';
import { buildCampaign, buildCustomer, buildRedemption, type TestCustomer } from '../support/factories.js';
import { buildStaff, OpsBrowser } from '../support/ops.js';
import { CustomerBrowser } from '../support/web.js';

/** A customer's session ends when it should, not when its token expires. ASVS numbering: OWASP ASVS 5.0.0. */

const deps = useTestDeps({}, { DATA_DIR: useDataDir() });
const app = createApp(deps);

async function loggedIn(slug: string, customer: TestCustomer): Promise<CustomerBrowser> {
  return (await loggedInWithCookie(slug, customer)).browser;
}

async function loggedInWithCookie(slug: string, customer: TestCustomer) {
  const browser = new CustomerBrowser(app, slug);
  const login = await browser.login(customer.registrationCode, customer.loginKey);
  expect(login.status).toBe(303);
  expect((await browser.my()).status).toBe(200);
  return { browser, cookie: stolenCookie(login) };
}

/** The customer's page as the browser asks for it: 200, or 303 to the login page once the session is gone. */
async function expectLoggedOut(browser: CustomerBrowser) {
  const res = await browser.my();
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(`/c/${browser.slug}/login`);
}

const sessionsOf = async (customerId: string) =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from customer_sessions where customer_id = ${customerId}`.execute(deps.db)
    ).rows[0]!.n,
  );

/** The session cookie of a browser's last login, as a thief who copied it would replay it. */
function stolenCookie(login: { headers: Record<string, unknown> }): string {
  const cookies = (login.headers['set-cookie'] as string[] | undefined) ?? [];
  const session = cookies.find((c) => /^(__Host-)?owabi_session=/.test(c));
  if (!session) throw new Error('no session cookie');
  return session.split(';')[0]!;
}
const replay = (slug: string, cookie: string) => supertest(app).get(`/c/${slug}/my`).set('Cookie', cookie);

describe('customer sessions are revocable', () => {
  it('ASVS 5.0 7.4.1: when a customer logs out, then a copy of the old cookie no longer opens their page', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const { browser, cookie } = await loggedInWithCookie(campaign.slug, customer);
    expect((await replay(campaign.slug, cookie)).status).toBe(200);

    const _csrf = await browser.token(`/c/${campaign.slug}/my`);
    expect((await browser.agent.post(`/c/${campaign.slug}/logout`).type('form').send({ _csrf })).status).toBe(
      303,
    );
    const again = await replay(campaign.slug, cookie);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/c/${campaign.slug}/login`);
    expect(await sessionsOf(customer.id)).toBe(0);
  });

  it('ASVS 5.0 7.4.3, 7.2.1: when a new login key is issued (at approval), then every session of the customer ends at once', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const phone = await loggedIn(campaign.slug, customer);
    const laptop = await loggedIn(campaign.slug, customer);
    expect(await sessionsOf(customer.id)).toBe(2);

    const clerk = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    const { token } = await lookUp(clerk, customer.registrationCode);
    await act(clerk, customer.id, 'reissue', { actionToken: token, confirm: 'yes' });
    // Asked, not approved: nothing ends yet.
    expect((await phone.my()).status).toBe(200);
    const [request] = await requestsOf(deps, customer.id);
    const sv = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    expect((await decide(sv, request!.id, 'approve')).status).toBe(200);

    await expectLoggedOut(phone);
    await expectLoggedOut(laptop);
    expect(await sessionsOf(customer.id)).toBe(0);
  });

  it('ASVS 5.0 7.4.2: when the customer is erased (by the contact centre or by the erase job), then their sessions end', async () => {
    const campaign = await buildCampaign(deps);
    const byPhone = await buildCustomer(deps, campaign);
    const byJob = await buildCustomer(deps, campaign);
    const a = await loggedIn(campaign.slug, byPhone);
    const b = await loggedIn(campaign.slug, byJob);

    const clerk = await new OpsBrowser(app).signIn(await buildStaff(deps, 'clerk'));
    const { token } = await lookUp(clerk, byPhone.registrationCode);
    await act(clerk, byPhone.id, 'erasure', { actionToken: token, confirm: 'yes' });
    const [request] = await requestsOf(deps, byPhone.id);
    const sv = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    expect((await decide(sv, request!.id, 'approve')).status).toBe(200);
    await expectLoggedOut(a);

    await buildRedemption(deps, { customer: byJob, dataChoice: 'erasure', fulfilledAt: new Date() });
    expect((await b.my()).status).toBe(200);
    expect(await eraseDue(deps, { campaignId: campaign.id })).toEqual({ erased: 1 });
    await expectLoggedOut(b);
  });

  it('ASVS 5.0 7.2.1, 7.3.2: when the server-side session is gone or past SESSION_MINUTES, then the signed token alone is refused', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const gone = await loggedIn(campaign.slug, customer);
    const expired = await loggedIn(campaign.slug, customer);
    const { rows: lifetimes } = await sql<{ m: string }>`
      select extract(epoch from expires_at - created_at) / 60 as m from customer_sessions where customer_id = ${customer.id}`.execute(
      deps.db,
    );
    expect(lifetimes.map((r) => Math.round(Number(r.m)))).toEqual([
      deps.config.SESSION_MINUTES,
      deps.config.SESSION_MINUTES,
    ]);
    const [first] = (
      await sql<{
        id: Buffer;
      }>`select id from customer_sessions where customer_id = ${customer.id} order by created_at limit 1`.execute(
        deps.db,
      )
    ).rows;
    await sql`delete from customer_sessions where id = ${first!.id}`.execute(deps.db);
    await sql`update customer_sessions set expires_at = now() - interval '1 second' where customer_id = ${customer.id}`.execute(
      deps.db,
    );
    await expectLoggedOut(gone);
    await expectLoggedOut(expired);
  });
});
