import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/api-tokens.service.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign, buildCustomer, buildStaff } from '../support/factories.js';
import { CustomerBrowser } from '../support/web.js';

/**
 * The JSON API authenticates by bearer token only, so a page on another site has nothing to ride
 * on: no cookie is read, no form or text body is taken, no CORS grant is made, and a malformed
 * input is a 4xx problem that quotes nothing back. ASVS numbering: OWASP ASVS 5.0.0.
 */

const deps = useTestDeps();
const app = createApp(deps, { api: { clientPerMinute: 100_000 } });
const EVIL = 'https://evil.example';

async function operatorToken(scopes: ('contact' | 'postcards' | 'exports' | 'reports')[]) {
  const staff = await buildStaff(deps, 'admin');
  const name = `t ${randomUUID().slice(0, 6)}`;
  return (await createApiToken(deps.db, staff.id, { name, scopes, days: 1 }, new Date())).token;
}

describe('API: nothing to ride on cross-site', () => {
  it('ASVS 5.0 3.5.1, 3.5.2: a simple cross-site POST (text/plain or a form) is refused before anything runs', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const body = JSON.stringify({ registrationCode: customer.registrationCode, loginKey: customer.loginKey });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await supertest(app)
        .post(`/api/v1/campaigns/${campaign.slug}/session`)
        .set('Origin', EVIL)
        .set('Content-Type', type)
        .send(body);
      expect(res.status, type).toBe(400);
      expect(res.body.code ?? JSON.parse(res.text).code).toBe('validation');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('ASVS 5.0 3.4.2, 3.5.1: the customer web session cookie does not authenticate the API, and no CORS grant is made', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    const me = await browser.agent.get('/api/v1/me').set('Origin', EVIL);
    expect(me.status).toBe(401);
    expect(me.headers['access-control-allow-origin']).toBeUndefined();
    expect(me.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await supertest(app)
      .options('/api/v1/me')
      .set('Origin', EVIL)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it.each([
    ['GET', '/api/v1/ops/campaigns/abc/report', 'reports'],
    ['GET', '/api/v1/ops/campaigns/99999999999999999999/report', 'reports'],
    ['GET', '/api/v1/ops/campaigns/-1/report', 'reports'],
    ['GET', '/api/v1/ops/suppression?limit=1&limit=2', 'exports'],
    ['GET', '/api/v1/ops/suppression?campaign=a&campaign=b', 'exports'],
    ['GET', '/api/v1/ops/suppression?cursor=a&cursor=b', 'exports'],
    ['POST', '/api/v1/ops/postcards/batches/99999999999999999999/entries', 'postcards'],
    ['POST', '/api/v1/ops/customers/lookup', 'contact'],
  ] as const)(
    'ASVS 5.0 16.5.1, 16.5.3: %s %s with a malformed input is a 4xx problem, never a 500',
    async (method, url, scope) => {
      const token = await operatorToken([scope]);
      const agent = supertest(app);
      const req = (method === 'GET' ? agent.get(url) : agent.post(url)).set(
        'Authorization',
        `Bearer ${token}`,
      );
      const res =
        method === 'POST' ? await req.send({ registrationCode: ['x'], reason: { a: 1 } }) : await req;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.text).not.toMatch(/at .+\.(?:ts|js):\d+|syntax|relation|column|bigint/i);
    },
  );

  it.each([
    ['application/json', 'x-unknown'],
    ['application/json; charset=utf-16', undefined],
  ] as const)(
    'ASVS 5.0 16.5.1, 16.3.4: a body the parser cannot read (%s, Content-Encoding %s) is a 400 problem, not a 500',
    async (type, encoding) => {
      const campaign = await buildCampaign(deps);
      let req = supertest(app).post(`/api/v1/campaigns/${campaign.slug}/session`).set('Content-Type', type);
      if (encoding) req = req.set('Content-Encoding', encoding);
      const res = await req.send('{"registrationCode":"x"}');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );
});

describe('web pages: a body the parser cannot read', () => {
  // body-parser's refusals other than 400 (415 charset.unsupported / encoding.unsupported) used to
  // fall through to 'internal': any anonymous client could make a page answer 500 and log an error.
  it.each([
    ['application/x-www-form-urlencoded; charset=utf-16', undefined],
    ['application/x-www-form-urlencoded', 'x-unknown'],
  ] as const)(
    'ASVS 5.0 16.5.1, 16.3.4: a form post (%s, Content-Encoding %s) is a 400, not a 500',
    async (type, encoding) => {
      const campaign = await buildCampaign(deps);
      let req = supertest(app).post(`/c/${campaign.slug}/login`).set('Content-Type', type);
      if (encoding) req = req.set('Content-Encoding', encoding);
      const res = await req.send('registrationCode=x');
      expect(res.status).toBe(400);
    },
  );
});
