import { randomInt, randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.js';
import { formatForPrint } from '../../src/customers/codes.js';
import { newLetterToken } from '../../src/letters/letter-token.js';
import { useTestDeps } from '../support/context.js';
import { buildCampaign } from '../support/factories.js';
import { importPeople } from '../support/letters.js';

/**
 * A letter's verification URL (its QR code) ends up where paper does not: the phone's history, a
 * QR app's history, a proxy's log. What it shows must stay what the verification page promises:
 * the issue date and the code's last 4 characters. ASVS numbering: OWASP ASVS 5.0.0.
 */

const deps = useTestDeps({}, { TRUST_PROXY_HOPS: '1', CLIENT_FAILURES_PER_MINUTE: '3' });
const app = createApp(deps);
const randomIp = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

async function printedLetter() {
  const campaign = await buildCampaign(deps);
  const u = randomUUID().slice(0, 8);
  const { letters } = await importPeople(deps, campaign, [
    {
      ref: `R${u}`,
      name: `山本 花子${u}`,
      kana: 'ヤマモト ハナコ',
      birthDate: '1980-04-01',
      postalCode: '100-0004',
    },
  ]);
  return { campaign, letter: letters[0]! };
}

/** The code as any page could show it: plain or as printed (with hyphens). */
const showsCode = (html: string, code: string) => html.includes(code) || html.includes(formatForPrint(code));

describe('letter verification: what the token alone shows', () => {
  it('ASVS 5.0 14.3.2, 14.2.4: the verification page shows the last 4 characters only, is never cached and sends no referrer', async () => {
    const { campaign, letter } = await printedLetter();
    const res = await supertest(app)
      .get(`/c/${campaign.slug}/letter/${letter.token}`)
      .set('X-Forwarded-For', randomIp());
    expect(res.status).toBe(200);
    expect(res.text).toContain(letter.registrationCode.slice(-4));
    expect(showsCode(res.text, letter.registrationCode)).toBe(false);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  // The letter's address ends up in browser and QR-app histories and proxy logs: the login page it
  // opens shows the code's last 4 characters only and carries the token, not the code.
  it('ASVS 5.0 14.2.1: the login page opened from a letter URL does not reveal the full registration code', async () => {
    const { campaign, letter } = await printedLetter();
    const res = await supertest(app)
      .get(`/c/${campaign.slug}/login?letter=${letter.token}`)
      .set('X-Forwarded-For', randomIp());
    expect(res.status).toBe(200);
    expect(showsCode(res.text, letter.registrationCode)).toBe(false);
  });

  it('ASVS 5.0 2.4.1, 6.3.1: a client guessing tokens through the login pre-fill is throttled: then even a right token pre-fills nothing', async () => {
    const { campaign, letter } = await printedLetter();
    const ip = randomIp();
    const login = (token: string) =>
      supertest(app).get(`/c/${campaign.slug}/login?letter=${token}`).set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) expect((await login(newLetterToken())).status).toBe(200);
    const res = await login(letter.token);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(letter.registrationCode.slice(-4));
    // The verification page is throttled the same way.
    const page = await supertest(app)
      .get(`/c/${campaign.slug}/letter/${letter.token}`)
      .set('X-Forwarded-For', ip);
    expect(page.status).toBe(429);
  });
});
