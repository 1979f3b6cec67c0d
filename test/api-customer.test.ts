import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { EN, JA } from '../src/messages/catalogue.js';
import { ApiClient } from './support/api.js';
import { sweepAllIdempotencyKeys } from '../src/api/idempotency.service.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import supertest from 'supertest';
import { CustomerBrowser, csrfFrom } from './support/web.js';

let clock = new Date();
const deps = useTestDeps({ now: () => clock }, { TRUST_PROXY_HOPS: '1' });
const app = createApp(deps, { api: { clientPerMinute: 10_000 } });
const api = new ApiClient(app);
const randomIp = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

async function setup() {
  clock = new Date();
  const campaign = await buildCampaign(deps);
  await buildEmoneyPool(deps, campaign, 5);
  const customer = await buildCustomer(deps, campaign);
  return { campaign, customer };
}

const loginVia = (slug: string, registrationCode: string, loginKey: string, ip = randomIp()) =>
  api.post(`/api/v1/campaigns/${slug}/session`, {
    body: { registrationCode, loginKey },
    headers: { 'X-Forwarded-For': ip },
  });

async function tokenOf(slug: string, code: string, key: string): Promise<string> {
  const res = await loginVia(slug, code, key);
  expect(res.status).toBe(201);
  return res.json.token as string;
}

const redemptionsOf = (customerId: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('customer_id', '=', customerId).execute();
const allocatedCodes = (redemptionId: string) =>
  deps.db.selectFrom('emoney_codes').select('code').where('redemption_id', '=', redemptionId).execute();

const EMONEY = { option: 'emoney', brand: 'nanaco', dataChoice: 'marketing_optout' };

describe('the customer API: log-in, status, no cookies', () => {
  it('when a customer logs in with code and key, then a bearer token reads their status, and no answer sets a cookie', async () => {
    const { campaign, customer } = await setup();
    const login = await loginVia(campaign.slug, customer.registrationCode.toLowerCase(), customer.loginKey);
    expect(login.status).toBe(201);
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(login.headers['cache-control']).toBe('no-store');
    const me = await api.get('/api/v1/me', { token: login.json.token });
    expect(me.status).toBe(200);
    expect(me.headers['set-cookie']).toBeUndefined();
    expect(me.json.personal.fullName).toBe(customer.fullName);
    expect(me.json.campaign).toMatchObject({ slug: campaign.slug, acceptingRedemptions: true });
    expect(me.json.redemption).toBeNull();
    const anonymous = await api.get('/api/v1/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(anonymous.json.detail).toBe(JA.auth.loginAgain);
  });

  it('when the key or the code is wrong, then both get the same neutral problem as the login page', async () => {
    const { campaign, customer } = await setup();
    const wrongKey = await loginVia(campaign.slug, customer.registrationCode, 'WRONGKEY2345');
    const unknownCode = await loginVia(campaign.slug, 'ZZZZ-ZZZZ-ZZZZ', customer.loginKey);
    for (const res of [wrongKey, unknownCode]) {
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ status: 401, code: 'unauthenticated', detail: JA.auth.failed });
    }
    const empty = await loginVia(campaign.slug, '', '');
    expect(empty.status).toBe(400);
    expect(empty.json.errors).toEqual({
      registrationCode: 'ご登録用コードを入力してください。',
      loginKey: 'ログインキーを入力してください。',
    });
  });

  it('when the client asks for English, then the same problems read in English, field messages too', async () => {
    const { campaign, customer } = await setup();
    const wrong = await api.post(`/api/v1/campaigns/${campaign.slug}/session`, {
      body: { registrationCode: customer.registrationCode, loginKey: 'WRONGKEY2345' },
      lang: 'en-GB,en;q=0.9,ja;q=0.5',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-language']).toBe('en');
    expect(wrong.json.detail).toBe(EN.auth.failed);
    const empty = await api.post(`/api/v1/campaigns/${campaign.slug}/session`, { body: {}, lang: 'en' });
    expect(empty.json.errors.loginKey).toBe(EN.auth.enterKey);
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const bad = await api.post('/api/v1/me/redemption', {
      token,
      lang: 'en',
      body: { option: 'emoney', brand: 'nope' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(bad.json).toMatchObject({
      detail: EN.common.checkInput,
      errors: { brand: EN.redemption.chooseBrand },
    });
    expect((await api.get('/api/v1/me', { lang: 'fr' })).json.detail).toBe(JA.auth.loginAgain);
  });

  it('when a code failed 10 times on the web and the API together, then the API refuses even the right key, as the page does', async () => {
    const { campaign, customer } = await setup();
    const browser = new CustomerBrowser(app, campaign.slug);
    const onTheWeb = async (key: string) => {
      const ip = randomIp();
      const page = await browser.agent.get(`/c/${campaign.slug}/login`).set('X-Forwarded-For', ip);
      return browser.agent
        .post(`/c/${campaign.slug}/login`)
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), registrationCode: customer.registrationCode, loginKey: key });
    };
    for (let i = 0; i < 5; i++) expect((await onTheWeb('WRONGKEY2345')).status).toBe(401);
    for (let i = 0; i < 5; i++)
      expect((await loginVia(campaign.slug, customer.registrationCode, 'WRONGKEY2345')).status).toBe(401);
    const locked = await loginVia(campaign.slug, customer.registrationCode, customer.loginKey);
    expect(locked.status).toBe(423);
    expect(locked.json.detail).toBe(JA.auth.locked(30, campaign.def.contactCentre));
    expect((await onTheWeb(customer.loginKey)).status).toBe(423);
    clock = new Date(clock.getTime() + 31 * 60_000);
    expect((await loginVia(campaign.slug, customer.registrationCode, customer.loginKey)).status).toBe(201);
  });

  it('when a request carries the web session cookie (or its token), then the API does not take it', async () => {
    const { campaign, customer } = await setup();
    const browser = new CustomerBrowser(app, campaign.slug);
    const web = await browser.login(customer.registrationCode, customer.loginKey);
    expect(web.status).toBe(303);
    const withCookie = await browser.agent.get('/api/v1/me');
    expect(withCookie.status).toBe(401);
    const cookieToken = /=([^;]+)/.exec(String(web.headers['set-cookie']))![1]!;
    expect((await api.get('/api/v1/me', { token: cookieToken })).status).toBe(401);
  });

  it('when the customer logs out (or their session row goes), then the token no longer works', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    expect((await api.delete('/api/v1/session', { token })).status).toBe(204);
    expect((await api.get('/api/v1/me', { token })).status).toBe(401);
    const second = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    // A new login key (a reissued letter) ends the customer's sessions: the web's trigger.
    await deps.db
      .updateTable('customers')
      .set({ login_key_hash: Buffer.alloc(32, 7) })
      .where('id', '=', customer.id)
      .execute();
    expect((await api.get('/api/v1/me', { token: second })).status).toBe(401);
  });

  it('when an unknown path or a non-JSON body is sent, then the answer is a problem, not a page', async () => {
    const nothing = await api.get('/api/v1/nothing-here');
    expect(nothing.status).toBe(404);
    expect(nothing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const form = await supertest(app)
      .post('/api/v1/campaigns/x/session')
      .type('form')
      .send('registrationCode=a&loginKey=b');
    expect(form.status).toBe(400);
    expect(form.headers['content-type']).toMatch(/^application\/problem\+json/);
    const large = await api.post('/api/v1/campaigns/x/session', {
      body: { registrationCode: 'x'.repeat(9000), loginKey: 'y' },
    });
    expect(large.status).toBe(400);
    expect(large.json.detail).toBe(JA.common.unreadableRequest);
  });
});

describe('the customer API: redeeming with an Idempotency-Key', () => {
  it('when the key is missing or the choice is invalid, then a problem with the page messages per field, and nothing is written', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const noKey = await api.post('/api/v1/me/redemption', { token, body: EMONEY });
    expect(noKey.status).toBe(400);
    const bad = await api.post('/api/v1/me/redemption', {
      token,
      body: { option: 'emoney', brand: 'nope' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual({
      brand: JA.redemption.chooseBrand,
      dataChoice: JA.redemption.chooseDataChoice,
    });
    expect(bad.json.detail).toBe(JA.common.checkInput);
    expect(await redemptionsOf(customer.id)).toHaveLength(0);
  });

  it('when the same key and body come again, then the same answer; another body with that key is a 409; one redemption, one code', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const key = randomUUID();
    const first = await api.post('/api/v1/me/redemption', {
      token,
      body: EMONEY,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ created: true, redemption: { option: 'emoney', brand: 'nanaco' } });
    const again = await api.post('/api/v1/me/redemption', {
      token,
      body: { dataChoice: 'marketing_optout', brand: 'nanaco', option: 'emoney' },
      headers: { 'Idempotency-Key': key },
    });
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await api.post('/api/v1/me/redemption', {
      token,
      body: { ...EMONEY, brand: 'edy' },
      headers: { 'Idempotency-Key': key },
    });
    expect(other.status).toBe(409);
    const newKey = await api.post('/api/v1/me/redemption', {
      token,
      body: EMONEY,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(newKey.status).toBe(200);
    expect(newKey.json).toMatchObject({ created: false, redemption: { id: first.json.redemption.id } });
    const rows = await redemptionsOf(customer.id);
    expect(rows).toHaveLength(1);
    expect(await allocatedCodes(rows[0]!.id)).toHaveLength(1);
    const me = await api.get('/api/v1/me', { token });
    expect(me.json.emoneyCode).toMatch(/^T-/);
  });

  it('when the same key is sent by several clients at once, then one redemption is made and every answer is the same', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.post('/api/v1/me/redemption', { token, body: EMONEY, headers: { 'Idempotency-Key': key } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(5);
    const rows = await redemptionsOf(customer.id);
    expect(rows).toHaveLength(1);
    expect(await allocatedCodes(rows[0]!.id)).toHaveLength(1);
  });

  it('when a key is older than 24 hours, then it is forgotten: the same key with another body is no longer a conflict', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const key = randomUUID();
    const first = await api.post('/api/v1/me/redemption', {
      token,
      body: EMONEY,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    clock = new Date(clock.getTime() + 23 * 3_600_000);
    const within = await api.post('/api/v1/me/redemption', {
      token: await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey),
      body: { ...EMONEY, brand: 'edy' },
      headers: { 'Idempotency-Key': key },
    });
    expect(within.status).toBe(409);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    const after = await api.post('/api/v1/me/redemption', {
      token: await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey),
      body: { ...EMONEY, brand: 'edy' },
      headers: { 'Idempotency-Key': key },
    });
    expect(after.status).toBe(200);
    expect(after.json.created).toBe(false);
    expect(
      await deps.db
        .selectFrom('api_idempotency_keys')
        .select('key')
        .where('scope', '=', `customer:${customer.id}`)
        .execute(),
    ).toHaveLength(1);
  });
});

describe('the hourly sweep of Idempotency-Keys', () => {
  it('when the sweep job runs, then keys older than 24 hours are deleted and younger ones kept', async () => {
    clock = new Date();
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { campaign, customer } = await setup();
      const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
      const key = randomUUID();
      const res = await api.post('/api/v1/me/redemption', {
        token,
        body: EMONEY,
        headers: { 'Idempotency-Key': key },
      });
      expect(res.status).toBe(201);
      keys.push(key);
    }
    const [old, young] = keys as [string, string];
    await deps.db
      .updateTable('api_idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('key', '=', old)
      .execute();
    await deps.db
      .updateTable('api_idempotency_keys')
      .set({ created_at: new Date(Date.now() - 23 * 3_600_000) })
      .where('key', '=', young)
      .execute();
    await sweepAllIdempotencyKeys({ db: deps.db, now: () => new Date() });
    const left = await deps.db
      .selectFrom('api_idempotency_keys')
      .select('key')
      .where('key', 'in', keys)
      .execute();
    expect(left.map((r) => r.key)).toEqual([young]);
  });
});

describe('the customer API: a change of mind', () => {
  it('when a customer changes their data choice, then the change is recorded as through the API; the same change again is refused, as on the page', async () => {
    const { campaign, customer } = await setup();
    const token = await tokenOf(campaign.slug, customer.registrationCode, customer.loginKey);
    const before = await api.post('/api/v1/me/choice-change', {
      token,
      body: { dataChoice: 'marketing_optout' },
    });
    expect(before.status).toBe(404);
    const donation = { option: 'donation', dataChoice: 'none' };
    expect(
      (
        await api.post('/api/v1/me/redemption', {
          token,
          body: donation,
          headers: { 'Idempotency-Key': randomUUID() },
        })
      ).status,
    ).toBe(201);
    const changed = await api.post('/api/v1/me/choice-change', {
      token,
      body: { dataChoice: 'marketing_optout', option: 'book_card' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({
      before: { option: 'donation', dataChoice: 'none' },
      after: { option: 'book_card', dataChoice: 'marketing_optout' },
    });
    const again = await api.post('/api/v1/me/choice-change', {
      token,
      body: { dataChoice: 'marketing_optout' },
    });
    expect(again.status).toBe(400);
    const bad = await api.post('/api/v1/me/choice-change', { token, body: { option: 'gold' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors).toEqual({ option: JA.redemption.chooseOption });
    const changes = await deps.db
      .selectFrom('redemption_changes')
      .select('channel')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(changes).toEqual([{ channel: 'api' }]);
  });
});

describe('the API request limit', () => {
  it('when a client sends more than its limit, then 429 with Retry-After, counted across processes sharing the database', async () => {
    // The window is taken from the app's clock, RateLimit-Reset from the real one: keep both in the
    // same minute, not within two seconds of its end (an older clock here once gave a reset of 0).
    if (60_000 - (Date.now() % 60_000) < 2_000) await new Promise((r) => setTimeout(r, 2_000));
    clock = new Date();
    const first = createApp(deps, { api: { clientPerMinute: 3 } });
    const second = createApp(deps, { api: { clientPerMinute: 3 } });
    const ip = randomIp();
    const hit = (a: typeof first) =>
      new ApiClient(a).get('/api/v1/me', { headers: { 'X-Forwarded-For': ip } });
    const one = await hit(first);
    expect(one.status).toBe(401);
    expect(one.headers['ratelimit-limit']).toBe('3');
    expect(one.headers['ratelimit-remaining']).toBe('2');
    expect(Number(one.headers['ratelimit-reset'])).toBeGreaterThan(0);
    await hit(second);
    expect((await hit(first)).headers['ratelimit-remaining']).toBe('0');
    const refused = await hit(second);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ status: 429, code: 'throttled' });
    // Another client is not affected.
    expect(
      (await new ApiClient(first).get('/api/v1/me', { headers: { 'X-Forwarded-For': randomIp() } })).status,
    ).toBe(401);
  });
});
