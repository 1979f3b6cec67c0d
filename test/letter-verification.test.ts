import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import type { Campaign } from '../src/campaigns/campaign.service.js';
import { formatForPrint, keyedHash } from '../src/customers/codes.js';
import { LETTER_COLUMNS } from '../src/imports/import.encoding.js';
import { letterQrImages, renderLetterQr } from '../src/letters/letter-qr.js';
import { purgeCampaign } from '../src/purge/purge.service.js';
import { useRedis, useTestDeps } from './support/context.js';
import {
  act,
  decide,
  downloadLetter,
  lookUp,
  openRequest,
  requestsOf,
  useDataDir,
} from './support/contact-flow.js';
import { buildCampaign } from './support/factories.js';
import { importPeople, parseLetters, type PersonRow } from './support/letters.js';
import { staffSessions } from './support/ops.js';
import { csrfFrom, CustomerBrowser } from './support/web.js';

const deps = useTestDeps({}, { DATA_DIR: useDataDir() });
const app = createApp(deps);
const { clerk, supervisor, admin } = staffSessions(app, deps);
const BASE = deps.config.PUBLIC_BASE_URL;

const person = (): PersonRow => {
  const u = randomUUID().slice(0, 8);
  return {
    ref: `R${u}`,
    name: `山本 花子${u}`,
    kana: 'ヤマモト ハナコ',
    birthDate: '1980-04-01',
    postalCode: '100-0004',
  };
};

async function letterOf(campaign?: Campaign) {
  const c = campaign ?? (await buildCampaign(deps));
  const p = person();
  const { letters } = await importPeople(deps, c, [p]);
  const customer = await deps.db
    .selectFrom('customers')
    .select('id')
    .where('registration_code', '=', letters[0]!.registrationCode)
    .executeTakeFirstOrThrow();
  return { campaign: c, person: p, letter: letters[0]!, customerId: customer.id };
}

const verify = (slug: string, token: string, lang?: 'en') => {
  const req = supertest(app).get(`/c/${slug}/letter/${token}`);
  return lang ? req.set('Cookie', `lang=${lang}`) : req;
};
const randomToken = () => randomBytes(16).toString('base64url');

describe('the letter print file', () => {
  it('when customers are imported, then each letter carries its own verification address and only a keyed hash of its token is stored', async () => {
    const campaign = await buildCampaign(deps);
    const { header, letters } = await importPeople(deps, campaign, [person(), person(), person()]);
    expect(header).toEqual([...LETTER_COLUMNS]);
    expect(header.at(-1)).toBe('verification_url');
    const pattern = new RegExp(`^${BASE}/c/${campaign.slug}/letter/[A-Za-z0-9_-]{22}$`);
    for (const l of letters) expect(l.url).toMatch(pattern);
    expect(new Set(letters.map((l) => l.token)).size).toBe(3);

    const rows = await deps.db
      .selectFrom('letter_tokens')
      .select(['token_hash', 'replaced_at'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(rows).toHaveLength(3);
    const expected = letters.map((l) =>
      keyedHash(deps.config.LOGIN_KEY_PEPPER, `letter:${l.token}`).toString('hex'),
    );
    expect(rows.map((r) => r.token_hash.toString('hex')).sort()).toEqual(expected.sort());
    for (const r of rows) expect(r.replaced_at).toBeNull();
  });

  it('when the import is given a public address, then the letters point there', async () => {
    const campaign = await buildCampaign(deps);
    const { letters } = await importPeople(deps, campaign, [person()], 'https://owabi.example.jp');
    expect(letters[0]!.url).toMatch(new RegExp(`^https://owabi\\.example\\.jp/c/${campaign.slug}/letter/`));
  });

  it('when a print file is turned into QR images, then there is one per letter, named by its code, holding its address', async () => {
    const campaign = await buildCampaign(deps);
    const { letters, printFile } = await importPeople(deps, campaign, [person(), person()]);
    const skipped: number[] = [];
    const images = [];
    for await (const qr of letterQrImages(Readable.from([printFile]), 'svg', (l) => skipped.push(l)))
      images.push(qr);
    expect(skipped).toEqual([]);
    expect(images.map((i) => i.name)).toEqual(
      letters.map((l) => `${formatForPrint(l.registrationCode)}.svg`),
    );
    expect(images[0]!.body.toString('utf8')).toMatch(/^<svg /);
    const png = await renderLetterQr(letters[0]!.url, 'png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(renderLetterQr('https://evil.example/phish', 'svg')).rejects.toThrow();
  });
});

describe('the verification page', () => {
  it('when a genuine letter is checked, then it names the campaign and the issue date, shows only the last 4 characters of the code, and is not indexed', async () => {
    const { campaign, person: p, letter } = await letterOf();
    const res = await verify(campaign.slug, letter.token);
    expect(res.status).toBe(200);
    expect(res.headers['x-robots-tag']).toMatch(/noindex/);
    expect(res.text).toContain('当サービスが発行した正規の書面です');
    expect(res.text).toContain(campaign.def.companyName);
    expect(res.text).toContain(campaign.def.title);
    expect(res.text).toMatch(/発行日：\d{4}年\d{1,2}月\d{1,2}日/);
    expect(res.text).toContain(`<strong>${letter.registrationCode.slice(-4)}</strong>`);
    expect(res.text).not.toContain(letter.registrationCode);
    expect(res.text).not.toContain(formatForPrint(letter.registrationCode));
    expect(res.text).not.toContain(letter.registrationCode.slice(0, 8));
    expect(res.text).not.toContain(p.name);
    expect(res.text).toContain(`href="/c/${campaign.slug}/login?letter=${letter.token}"`);
  });

  it('when the reader chose English, then the page is in English', async () => {
    const { campaign, letter } = await letterOf();
    const res = await verify(campaign.slug, letter.token, 'en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('This letter is genuine');
    const unknown = await verify(campaign.slug, randomToken(), 'en');
    expect(unknown.text).toContain('This letter was not issued by this service');
  });

  it.each([
    ['a well-formed token nobody issued', () => randomToken()],
    ['a malformed token', () => 'not-a-token'],
  ])(
    'when %s is checked, then 404 says plainly the letter is not ours and shows the official contact centre',
    async (_, token) => {
      const campaign = await buildCampaign(deps);
      const res = await verify(campaign.slug, token());
      expect(res.status).toBe(404);
      expect(res.text).toContain('この書面は、当サービスが発行したものではありません');
      expect(res.text).toContain(campaign.def.contactCentre.freeDial);
      expect(res.text).toContain('なりすまし・フィッシング詐欺にご注意ください');
      expect(res.text).not.toContain('?letter=');
    },
  );

  it("when a genuine token is shown under another campaign's address, then it is not vouched for there", async () => {
    const { letter } = await letterOf();
    const other = await buildCampaign(deps);
    const res = await verify(other.slug, letter.token);
    expect(res.status).toBe(404);
    expect(res.text).toContain('当サービスが発行したものではありません');
  });

  it('when the address names no campaign of ours, then the page says so and points to the list of procedures', async () => {
    const { letter } = await letterOf();
    const res = await verify(`nope-${randomUUID().slice(0, 8)}`, letter.token);
    expect(res.status).toBe(404);
    expect(res.text).toContain('この書面は、当サービスが発行したものではありません');
    expect(res.text).toContain('このアドレスのお手続きは当サービスにはありません');
    expect(res.text).toContain('href="/"');
  });
});

describe('a reissued letter', () => {
  it('when a letter is reissued, then the new letter carries a fresh address that is genuine and the old one says it was replaced', async () => {
    const { campaign, letter, customerId } = await letterOf();
    const { ops } = await clerk();
    const { token } = await lookUp(ops, letter.registrationCode);
    expect((await act(ops, customerId, 'reissue', { actionToken: token, confirm: 'yes' })).status).toBe(200);
    const [request] = await requestsOf(deps, customerId);
    const decided = await decide((await supervisor()).ops, request!.id, 'approve');
    expect(decided.status, decided.text.replace(/[\s\S]*<main/, '').slice(0, 1500)).toBe(200);
    const { ops: ad } = await admin();
    const { token: t2 } = await openRequest(ad, request!.id);
    const file = await downloadLetter(ad, request!.id, t2);
    expect(file.status).toBe(200);
    const { header, letters } = await parseLetters(file.text);
    expect(header).toEqual([...LETTER_COLUMNS]);
    const fresh = letters[0]!;
    expect(fresh.registrationCode).toBe(letter.registrationCode);
    expect(fresh.token).not.toBe(letter.token);

    const now = await verify(campaign.slug, fresh.token);
    expect(now.status).toBe(200);
    expect(now.text).toContain('正規の書面です');

    const old = await verify(campaign.slug, letter.token);
    expect(old.status).toBe(200);
    expect(old.text).toContain('この書面は、新しい書面に置き換えられています');
    expect(old.text).not.toContain('?letter=');
    expect(old.text).not.toContain(`<strong>${letter.registrationCode.slice(-4)}</strong>`);

    const prefill = await supertest(app).get(`/c/${campaign.slug}/login?letter=${letter.token}`);
    expect(prefill.text).not.toContain(formatForPrint(letter.registrationCode));
  });
});

describe('the login pre-fill', () => {
  it('when the login page is opened from a letter, then the code is filled in on the page, never in an address, and the login still needs the key', async () => {
    const { campaign, letter } = await letterOf();
    const page = await verify(campaign.slug, letter.token);
    const href = /href="([^"]*login[^"]*)"/.exec(page.text)![1]!;
    expect(href).not.toContain(letter.registrationCode);

    const browser = new CustomerBrowser(app, campaign.slug);
    const login = await browser.agent.get(href);
    expect(login.status).toBe(200);
    // Only the last 4 characters are on the page; the form carries the token, not the code.
    expect(login.text).not.toContain(formatForPrint(letter.registrationCode));
    expect(login.text).toContain(
      `（末尾 ${letter.registrationCode.slice(-4)}）は、書面のQRコードから入力済みです`,
    );
    expect(login.text).toContain(`name="letter" value="${letter.token}"`);
    expect(login.headers.location).toBeUndefined();

    // A wrong key: the form comes back with the letter still in it, and still no code.
    const _csrf = csrfFrom(login.text);
    const wrong = await browser.agent
      .post(`/c/${campaign.slug}/login`)
      .type('form')
      .send({ _csrf, letter: letter.token, registrationCode: '', loginKey: 'WRONGKEY1234' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(formatForPrint(letter.registrationCode));
    expect(wrong.text).toContain(`name="letter" value="${letter.token}"`);

    // The code is looked up from the token when the form is posted; no step's address holds it.
    const ok = await browser.agent
      .post(`/c/${campaign.slug}/login`)
      .type('form')
      .send({
        _csrf: csrfFrom(wrong.text),
        letter: letter.token,
        registrationCode: '',
        loginKey: letter.loginKey,
      });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/c/${campaign.slug}/my`);
    expect(ok.headers.location).not.toContain(letter.registrationCode);
  });

  it('when someone holds only the token, then it logs nobody in', async () => {
    const { campaign, letter } = await letterOf();
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.agent.get(`/c/${campaign.slug}/letter/${letter.token}`);
    await browser.agent.get(`/c/${campaign.slug}/login?letter=${letter.token}`);
    expect((await browser.my()).status).toBe(303);
    const withToken = await browser.login(letter.registrationCode, letter.token);
    expect(withToken.status).toBe(401);
    const tokenAsCode = await browser.login(letter.token, letter.loginKey);
    expect(tokenAsCode.status).not.toBe(303);
    expect((await browser.my()).status).toBe(303);
  });

  it('when the token is unknown, then the login page is the plain one', async () => {
    const campaign = await buildCampaign(deps);
    const res = await supertest(app).get(`/c/${campaign.slug}/login?letter=${randomToken()}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('書面のQRコードから入力済みです');
    expect(res.text).toContain('value=""');
  });
});

describe('the throttle', () => {
  const limited = useTestDeps({}, { CLIENT_FAILURES_PER_MINUTE: '3', TRUST_PROXY_HOPS: '1' });
  const limitedApp = createApp(limited);
  const from = (ip: string, path: string) => supertest(limitedApp).get(path).set('X-Forwarded-For', ip);

  it('when a client shows too many wrong tokens, then it is refused for a while, even a genuine token, and other clients are not', async () => {
    const { campaign, letter } = await letterOf();
    const ip = `203.0.113.${1 + Math.floor(Math.random() * 200)}`;
    for (let i = 0; i < 3; i++)
      expect((await from(ip, `/c/${campaign.slug}/letter/${randomToken()}`)).status).toBe(404);
    const refused = await from(ip, `/c/${campaign.slug}/letter/${letter.token}`);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('確認の回数が多すぎます');
    const noPrefill = await from(ip, `/c/${campaign.slug}/login?letter=${letter.token}`);
    expect(noPrefill.text).not.toContain(formatForPrint(letter.registrationCode));
    const other = await from('198.51.100.7', `/c/${campaign.slug}/letter/${letter.token}`);
    expect(other.status).toBe(200);
  });
});

describe('the purge', () => {
  const jobDeps = { ...deps, redis: useRedis() };

  it("when a campaign is purged, then its letters' tokens, wrong-token records and lost-letter digests are gone and the report proves it", async () => {
    const { campaign, letter } = await letterOf();
    await verify(campaign.slug, randomToken()); // one wrong token recorded for the campaign
    const report = await purgeCampaign(jobDeps, campaign.id);
    expect(report.countsBefore).toMatchObject({ letter_tokens: 2, customer_personal: 1 });
    expect(report.countsAfter).toMatchObject({ letter_tokens: 0, customer_personal: 0 });
    const left = await deps.db
      .selectFrom('letter_tokens')
      .select('token_hash')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(left).toEqual([]);
    const digests = await deps.db
      .selectFrom('customer_personal')
      .select('lost_letter_digest')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(digests).toEqual([]);
    expect((await verify(campaign.slug, letter.token)).status).toBe(404);
  });
});
