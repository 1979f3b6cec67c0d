import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign, buildCustomer } from '../support/factories.js';
import { csrfFrom } from '../support/web.js';
import supertest from 'supertest';

/**
 * Guessing login keys faster than the throttle counts, or from many addresses of one IPv6 /64.
 * ASVS numbering: OWASP ASVS 5.0.0.
 */

const LIMIT = 20;
const deps = useTestDeps({}, { CLIENT_FAILURES_PER_MINUTE: String(LIMIT), TRUST_PROXY_HOPS: '1' });
const app = createApp(deps);

const v6 = (prefix: string, i: number) =>
  `${prefix}:${(i + 1).toString(16)}:${randomInt(65536).toString(16)}::1`;
const v4 = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

/** Each guess as its own browser: the login page for its form token, then the post. */
async function guesses(slug: string, forms: { ip: string; code: string; key: string }[]) {
  const pages = await Promise.all(
    forms.map(async (f) => {
      const agent = supertest.agent(app);
      const page = await agent.get(`/c/${slug}/login`).set('X-Forwarded-For', f.ip);
      return { agent, f, csrf: csrfFrom(page.text) };
    }),
  );
  // All posted at once.
  const results = await Promise.all(
    pages.map(({ agent, f, csrf }) =>
      agent
        .post(`/c/${slug}/login`)
        .set('X-Forwarded-For', f.ip)
        .type('form')
        .send({ _csrf: csrf, registrationCode: f.code, loginKey: f.key }),
    ),
  );
  return results.map((r) => r.status);
}

const judged = (statuses: number[]) => statuses.filter((s) => s === 401 || s === 303).length;

describe('customer login throttle', () => {
  it(`ASVS 5.0 6.3.1, 2.4.1: when 40 wrong logins race from one address, then at most ${LIMIT} are judged and the rest are slowed`, async () => {
    const campaign = await buildCampaign(deps);
    const victims = await Promise.all(Array.from({ length: 40 }, () => buildCustomer(deps, campaign)));
    const ip = v4();
    const statuses = await guesses(
      campaign.slug,
      victims.map((v) => ({ ip, code: v.registrationCode, key: 'WRONGKEY2345' })),
    );
    expect(judged(statuses)).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40 - LIMIT);
  });

  it(`ASVS 5.0 6.3.1: when 40 wrong logins race from 40 addresses of one IPv6 /64, then at most ${LIMIT} are judged; another /64 is not affected`, async () => {
    const campaign = await buildCampaign(deps);
    const victims = await Promise.all(Array.from({ length: 40 }, () => buildCustomer(deps, campaign)));
    const prefix = `2001:db8:${randomInt(65536).toString(16)}:${randomInt(65536).toString(16)}`;
    const statuses = await guesses(
      campaign.slug,
      victims.map((v, i) => ({
        ip: `${prefix}:${(i + 1).toString(16)}::${(i + 7).toString(16)}`,
        code: v.registrationCode,
        key: 'WRONGKEY2345',
      })),
    );
    expect(judged(statuses)).toBeLessThanOrEqual(LIMIT);

    // One by one, the next guess from yet another address of the /64 is slowed; another /64 is not.
    const customer = await buildCustomer(deps, campaign);
    for (let i = judged(statuses); i < LIMIT; i++)
      expect(
        (
          await guesses(campaign.slug, [
            { ip: `${prefix}::${i.toString(16)}:1`, code: victims[i]!.registrationCode, key: 'WRONGKEY2345' },
          ])
        )[0],
      ).toBe(401);
    const [sameNet] = await guesses(campaign.slug, [
      { ip: `${prefix}::beef`, code: customer.registrationCode, key: customer.loginKey },
    ]);
    expect(sameNet).toBe(429);
    const [otherNet] = await guesses(campaign.slug, [
      {
        ip: v6(`2001:db8:${randomInt(65536).toString(16)}`, 0),
        code: customer.registrationCode,
        key: customer.loginKey,
      },
    ]);
    expect(otherNet).toBe(303);
  });

  it('ASVS 5.0 6.3.1: when 30 wrong keys for one code race from many addresses, then at most 10 are judged before the code locks', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const statuses = await guesses(
      campaign.slug,
      Array.from({ length: 30 }, () => ({ ip: v4(), code: customer.registrationCode, key: 'WRONGKEY2345' })),
    );
    expect(judged(statuses)).toBeLessThanOrEqual(deps.config.LOCKOUT_FAILURES);
    expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(
      30 - deps.config.LOCKOUT_FAILURES,
    );
  });
});
