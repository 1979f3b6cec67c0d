import { randomInt, randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/api/api-tokens.service.js';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign, buildStaff } from '../support/factories.js';

/**
 * The API's per-client limit must hold for every request that is not a known operator token's:
 * claiming to be an integration (an `owabi_` bearer) must not switch it off. ASVS numbering: OWASP
 * ASVS 5.0.0.
 */

const deps = useTestDeps({}, { TRUST_PROXY_HOPS: '1' });
const app = createApp(deps, { api: { clientPerMinute: 2 } });
/** Exposed directly (the default): X-Forwarded-For is the client's to write, and is ignored. */
const direct = createApp(useTestDeps(), { api: { clientPerMinute: 2 } });
const randomIp = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;
/** Well-formed, never issued. */
const forgedToken = () => `owabi_${randomUUID().replaceAll('-', '')}AAAAAAAAAAA`;

describe('API: the per-client request limit', () => {
  it('ASVS 5.0 2.4.1: when a client sends customer logins with an `owabi_` bearer header, then its client limit still applies', async () => {
    const campaign = await buildCampaign(deps);
    const ip = randomIp();
    const login = () =>
      supertest(app)
        .post(`/api/v1/campaigns/${campaign.slug}/session`)
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${forgedToken()}`)
        .send({ registrationCode: 'AAAA-AAAA-AAAA', loginKey: 'AAAA-AAAA-AAAA' });
    await login();
    await login();
    const third = await login();
    expect(third.status).toBe(429);
  });

  it('ASVS 5.0 2.4.1, 6.3.1: when a client sends unknown operator tokens to /ops, then after its client limit it gets 429, not endless 401s', async () => {
    const ip = randomIp();
    const guess = () =>
      supertest(app)
        .get('/api/v1/ops/suppression')
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${forgedToken()}`);
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    const third = await guess();
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
  });

  it('ASVS 5.0 2.4.1, 16.3.1: a revoked token sent again and again stops writing audit entries once its client is past the limit', async () => {
    const staff = await buildStaff(deps, 'admin');
    const issued = await createApiToken(
      deps.db,
      staff.id,
      { name: 'old', scopes: ['exports'], days: 1 },
      new Date(),
    );
    await revokeApiToken(deps.db, staff.id, issued.id, new Date());
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await supertest(app)
        .get('/api/v1/ops/suppression')
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${issued.token}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429, 429]);
    const refusals = await deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'api.token_refused')
      .where('target_id', '=', issued.id)
      .execute();
    expect(refusals).toHaveLength(2);
  });

  it('ASVS 5.0 2.4.1: a live operator token is not held to the client limit (its own limit applies)', async () => {
    const staff = await buildStaff(deps, 'admin');
    const issued = await createApiToken(
      deps.db,
      staff.id,
      { name: 'feed', scopes: ['exports'], days: 1 },
      new Date(),
    );
    const ip = randomIp();
    for (let i = 0; i < 4; i++) {
      const res = await supertest(app)
        .get('/api/v1/ops/suppression')
        .set('X-Forwarded-For', ip)
        .set('Authorization', `Bearer ${issued.token}`);
      expect(res.status).toBe(200);
    }
  });

  it('ASVS 5.0 2.4.1: with TRUST_PROXY_HOPS=0, a new X-Forwarded-For on every request does not make a new client', async () => {
    let last = 0;
    for (let i = 0; i < 3; i++) {
      const res = await supertest(direct).get('/api/v1/me').set('X-Forwarded-For', randomIp());
      last = res.status;
    }
    expect(last).toBe(429);
  });
});
