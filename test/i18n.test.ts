import { fc, test } from '@fast-check/vitest';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { readEnglish } from '../src/campaigns/campaign-admin.text.js';
import { definitionIn } from '../src/campaigns/campaign.language.js';
import { EN, JA } from '../src/messages/catalogue.js';
import { withLang, withoutLang } from '../src/platform/http/language.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

/** Hiragana, katakana or kanji: a text that was left in Japanese. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/u;
/** Drops what may rightly be Japanese on an English page: elements marked lang="ja" (the switch link too). */
const withoutJapaneseParts = (html: string) =>
  html.replace(/<(\w+)[^>]*\slang="ja"[^>]*>[\s\S]*?<\/\1>/g, '');

async function englishBrowser(slug: string) {
  const browser = new CustomerBrowser(app, slug);
  await browser.agent.get(`/c/${slug}?lang=en`);
  return browser;
}

describe('choosing the language', () => {
  it('when the browser prefers English, then the page is English with <html lang="en"> and a link to Japanese', async () => {
    const campaign = await buildCampaign(deps);
    const res = await supertest(app)
      .get(`/c/${campaign.slug}/login`)
      .set('Accept-Language', 'en-GB,en;q=0.9');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.headers['content-language']).toBe('en');
    expect(res.text).toContain('<label for="registrationCode">Registration code</label>');
    expect(res.text).toMatch(/<a href="\/c\/[^"]+\/login\?lang=ja" lang="ja" hreflang="ja"[^>]*>日本語<\/a>/);
  });

  it('when no language or an unoffered one is asked for, then the page is Japanese with a link to English', async () => {
    const campaign = await buildCampaign(deps);
    for (const accept of [undefined, 'fr-FR,de;q=0.8', '*']) {
      const req = supertest(app).get(`/c/${campaign.slug}/login`);
      const res = accept ? await req.set('Accept-Language', accept) : await req;
      expect(res.text).toContain('<html lang="ja">');
      expect(res.text).toContain('<label for="registrationCode">ご登録用コード</label>');
      expect(res.text).toMatch(
        /<a href="\/c\/[^"]+\/login\?lang=en" lang="en" hreflang="en"[^>]*>English<\/a>/,
      );
    }
  });

  it('when the switch link is followed, then only a lang cookie is set, the address loses ?lang and the choice sticks', async () => {
    const campaign = await buildCampaign(deps);
    const browser = new CustomerBrowser(app, campaign.slug);
    const sw = await browser.agent.get(`/c/${campaign.slug}/login?x=1&lang=en`).set('Accept-Language', 'ja');
    expect(sw.status).toBe(303);
    expect(sw.headers.location).toBe(`/c/${campaign.slug}/login?x=1`);
    const cookies = ([] as string[]).concat(sw.headers['set-cookie'] ?? []);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^lang=en; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    // The browser still says Japanese: the cookie wins.
    const page = await browser.agent.get(`/c/${campaign.slug}/faq`).set('Accept-Language', 'ja');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Frequently asked questions (FAQ)');
    const back = await browser.agent.get(`/c/${campaign.slug}/faq?lang=ja`);
    expect(back.headers.location).toBe(`/c/${campaign.slug}/faq`);
    expect((await browser.agent.get(`/c/${campaign.slug}/faq`)).text).toContain('<html lang="ja">');
  });

  it('when ?lang names no language or the path starts with //, then nothing is stored and the redirect stays on this site', async () => {
    const bogus = await supertest(app).get('/c/x?lang=xx');
    expect(bogus.status).toBe(303);
    expect(bogus.headers['set-cookie']).toBeUndefined();
    const offsite = await supertest(app).get('//evil.example/?lang=en');
    expect(offsite.headers.location).toBe('/evil.example/');
  });

  test.prop([
    fc.webPath(),
    fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.string()), { maxLength: 4 }),
    fc.constantFrom('ja', 'en'),
  ])(
    'the switch address keeps the other parameters, and the address without it never leaves the site',
    (path, params, lang) => {
      const query = new URLSearchParams(params).toString();
      const url = `/${path.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
      const switched = withLang(url, lang as 'ja' | 'en');
      const back = withoutLang(switched);
      expect(back.startsWith('/') && !back.startsWith('//') && !back.startsWith('/\\')).toBe(true);
      const expected = new URLSearchParams(params);
      expected.delete('lang');
      expect(new URLSearchParams(back.split('?')[1] ?? '').toString()).toBe(expected.toString());
      expect(new URLSearchParams(switched.split('?')[1]).get('lang')).toBe(lang);
    },
  );
});

describe('English pages and messages', () => {
  it('when a wrong login is submitted on an English page, then the refusal is in English', async () => {
    const campaign = await buildCampaign(deps);
    const browser = await englishBrowser(campaign.slug);
    const res = await browser.login('AAAA-BBBB-CCCC', 'wrong-key');
    expect(res.status).toBe(401);
    expect(res.text).toContain('The registration code or login key is not correct.');
    expect(res.text).not.toContain('ご登録用コードまたはログインキーが正しくありません');
  });

  it('when the login form is sent empty on an English page, then the field messages are in English', async () => {
    const campaign = await buildCampaign(deps);
    const browser = await englishBrowser(campaign.slug);
    const res = await browser.login('', '');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Please check what you have entered.');
    expect(res.text).toContain('Please enter your registration code.');
    expect(res.text).toContain('Please enter your login key.');
    // And the Japanese page keeps its Japanese messages.
    const ja = await new CustomerBrowser(app, campaign.slug).login('', '');
    expect(ja.text).toContain('ご登録用コードを入力してください。');
  });

  it('when an unknown page is opened in English, then the error page is English', async () => {
    const res = await supertest(app).get('/c/no-such-campaign-x').set('Accept-Language', 'en');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Page not found');
    expect(withoutJapaneseParts(res.text)).not.toMatch(JAPANESE);
  });

  it('when the demo campaign is read in English from landing to completion, then no Japanese is left but the personal data', async () => {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 2);
    const customer = await buildCustomer(deps, campaign);
    const browser = await englishBrowser(campaign.slug);
    for (const path of ['', '/faq', '/login']) {
      const page = await browser.agent.get(`/c/${campaign.slug}${path}`);
      expect(page.text).toContain('<html lang="en">');
      expect(withoutJapaneseParts(page.text)).not.toMatch(JAPANESE);
      expect(page.text).not.toContain('class="ja-only"');
    }
    const landing = await browser.agent.get(`/c/${campaign.slug}`);
    expect(landing.text).toContain('Our apology and report concerning the leak of customer information');
    expect(landing.text).toContain('E-money gift of your choice worth ¥500');
    await browser.login(customer.registrationCode, customer.loginKey);
    const choose = await browser.my();
    expect(choose.text).toContain('Please choose one gift of apology');
    expect(choose.text).toContain('Your information that was leaked');
    const form = { option: 'emoney', brand: 'nanaco', dataChoice: 'marketing_optout' };
    const confirm = await browser.confirm(form);
    expect(confirm.text).toContain('Please confirm your request');
    expect(withoutJapaneseParts(confirm.text)).not.toMatch(JAPANESE);
    expect((await browser.complete(form)).status).toBe(303);
    const done = await browser.agent.get(`/c/${campaign.slug}/my?done=1`);
    expect(done.text).toContain('Your request is complete');
    expect(done.text).toContain('Your e-money gift code');
    expect(withoutJapaneseParts(done.text)).not.toMatch(JAPANESE);
  });

  it('when a campaign has no English FAQ, then the English page shows the Japanese FAQ marked lang="ja" with the one-line note', async () => {
    const def = demoCampaignDefinition(new Date());
    const campaign = await buildCampaign(deps, { en: { ...def.en, faq: undefined } });
    const browser = await englishBrowser(campaign.slug);
    const faq = await browser.agent.get(`/c/${campaign.slug}/faq`);
    expect(faq.text).toContain(`<p class="ja-only">${EN.layout.japaneseOnly}</p>`);
    expect(faq.text).toMatch(/<dl class="faq" lang="ja">[\s\S]*書面（宛名用紙）をなくしてしまいました/);
    // Only that part: the landing page has every other text in English and no note.
    const landing = await browser.agent.get(`/c/${campaign.slug}`);
    expect(landing.text).not.toContain('class="ja-only"');
    // A Japanese page never shows the note.
    const ja = await supertest(app).get(`/c/${campaign.slug}/faq`);
    expect(ja.text).not.toContain('class="ja-only"');
  });

  it('when a campaign has no English at all, then every campaign text falls back with a note and the page frame is still English', async () => {
    const campaign = await buildCampaign(deps, { en: undefined });
    const landing = await supertest(app).get(`/c/${campaign.slug}`).set('Accept-Language', 'en');
    expect(landing.text).toContain('<h1 lang="ja">お客様情報漏えいに関するお詫びとご報告</h1>');
    expect(landing.text.split('class="ja-only"').length - 1).toBeGreaterThanOrEqual(5);
    expect(landing.text).toContain('Request your gift of apology');
    expect(definitionIn(campaign.def, 'en').japaneseOnly).toEqual(
      expect.arrayContaining(['title', 'apology', 'leaked', 'options', 'dataChoice', 'faq', 'contactCentre']),
    );
  });
});

describe("the console's English field", () => {
  it('when the English texts are JSON of the known fields, then they are taken; otherwise the field is refused by path', () => {
    const reports: string[] = [];
    const report = (m: string) => reports.push(m);
    expect(readEnglish('', report)).toBeUndefined();
    expect(readEnglish('{"title": "Apology", "faq": [{"question": "Q", "answer": ["A"]}]}', report)).toEqual({
      title: 'Apology',
      faq: [{ question: 'Q', answer: ['A'] }],
    });
    expect(reports).toEqual([]);
    readEnglish('{"title": ', report);
    readEnglish('{"titel": "Apology"}', report);
    readEnglish('{"options": {"donation": {"recipient": 3}}}', report);
    expect(reports).toHaveLength(3);
    expect(reports[0]).toContain('JSON');
    expect(reports[1]).toContain('titel');
    expect(reports[2]).toContain('options.donation.recipient');
  });
});

/** Every text of a catalogue, by its path; functions are called with a value that serves any parameter. */
function texts(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (typeof node === 'function') {
    const fn = node as (...a: unknown[]) => unknown;
    const any = Object.assign(new Date('2026-04-01T00:30:00Z'), { name: 'Centre', freeDial: '0120-000-000' });
    try {
      return [[path, String(fn(any, any, any))]];
    } catch {
      return [[path, String(fn('2026-04-01', 'B', 'C'))]];
    }
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => texts(v, path ? `${path}.${k}` : k));
  }
  return [[path, String(node)]];
}

describe('the English catalogue', () => {
  /** Texts that are rightly the same in both (the switch names each language in its own words). */
  const SAME = new Set(['layout.switchTo.ja', 'layout.switchTo.en']);

  it('has every text of the Japanese one, none empty, none left in Japanese', () => {
    const ja = new Map(texts(JA));
    const en = new Map(texts(EN));
    expect([...en.keys()].sort()).toEqual([...ja.keys()].sort());
    for (const [path, text] of en) {
      expect(text.trim(), path).not.toBe('');
      if (SAME.has(path)) continue;
      expect(text, path).not.toBe(ja.get(path));
      expect(text, path).not.toMatch(JAPANESE);
    }
  });
});
