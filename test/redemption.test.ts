import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

async function setup(poolPerBrand = 5) {
  const campaign = await buildCampaign(deps);
  await buildEmoneyPool(deps, campaign, poolPerBrand);
  const customer = await buildCustomer(deps, campaign);
  const browser = new CustomerBrowser(app, campaign.slug);
  return { campaign, customer, browser };
}

const redemptionsOf = (customerId: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('customer_id', '=', customerId).execute();
const codesOf = (redemptionId: string) =>
  deps.db.selectFrom('emoney_codes').select('code').where('redemption_id', '=', redemptionId).execute();

describe('customer redemption path', () => {
  it('when the landing page is opened, then it shows the apology, leaked items, options, deadline, FAQ, contact and phishing warning', async () => {
    const { campaign, browser } = await setup(0);
    const res = await browser.agent.get(`/c/${campaign.slug}`);
    expect(res.status).toBe(200);
    for (const text of [
      'お客様情報漏えいに関するお詫びとご報告',
      '漏えいした情報項目について',
      '郵便番号',
      '500円分の選べる電子マネーギフト',
      '500円分の全国共通図書カード',
      'デモこども基金へのご寄付',
      'お手続き期限',
      'フィッシング詐欺にご注意ください',
      '暗証番号',
      'アドレスバー',
      '0120-000-000',
      'よくあるご質問',
    ]) {
      expect(res.text).toContain(text);
    }
    const faq = await browser.agent.get(`/c/${campaign.slug}/faq`);
    expect(faq.status).toBe(200);
    expect(faq.text).toContain('書面（宛名用紙）をなくしてしまいました');
  });

  it('when the login page is opened, then its two inputs are labelled ご登録用コード and ログインキー', async () => {
    const { campaign, browser } = await setup(0);
    const res = await browser.agent.get(`/c/${campaign.slug}/login`);
    expect(res.text).toMatch(/<label for="registrationCode">ご登録用コード<\/label>/);
    expect(res.text).toMatch(/<label for="loginKey">ログインキー<\/label>/);
  });

  it('when a customer chooses e-money, then the code appears on completion and again at the next login, never a second one', async () => {
    const { campaign, customer, browser } = await setup();
    const login = await browser.login(customer.registrationCode, customer.loginKey);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(`/c/${campaign.slug}/my`);

    const my = await browser.my();
    expect(my.text).toContain('漏えいしたお客様の情報');
    expect(my.text).toContain('サービスにご登録いただいた方のお名前、性別、生年月日');
    expect(my.text).not.toContain('メールアドレス（一部のサービスご利用者様のみ）');

    const form = { option: 'emoney', brand: 'nanaco', dataChoice: 'marketing_optout' };
    const confirm = await browser.confirm(form);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('お手続き内容の確認');
    expect(confirm.text).toContain('nanaco');
    expect(await redemptionsOf(customer.id)).toHaveLength(0);

    const done = await browser.complete(form);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/c/${campaign.slug}/my?done=1`);
    const [redemption] = await redemptionsOf(customer.id);
    expect(redemption).toMatchObject({
      option: 'emoney',
      brand: 'nanaco',
      data_choice: 'marketing_optout',
      channel: 'web',
    });
    const [code] = await codesOf(redemption!.id);
    const completion = await browser.agent.get(done.headers.location!);
    expect(completion.text).toContain('お手続きが完了しました');
    expect(completion.text).toContain(code!.code);

    const again = new CustomerBrowser(app, campaign.slug);
    await again.login(customer.registrationCode, customer.loginKey);
    const status = await again.my();
    expect(status.text).toContain('お手続きの状況');
    expect(status.text).toContain(code!.code);
    expect(status.text).not.toContain('確認画面へ進む');

    const second = await again.complete({ option: 'donation', dataChoice: 'none' });
    expect(second.status).toBe(303);
    expect(await redemptionsOf(customer.id)).toHaveLength(1);
    expect(await codesOf(redemption!.id)).toHaveLength(1);
  });

  it('when a code and key are typed lower case, full-width, with spaces and hyphens, then the login succeeds', async () => {
    const { customer, browser } = await setup(0);
    const messy = (s: string) =>
      [...s.toLowerCase()]
        .map(
          (c, i) => (i % 2 ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c) + (i % 4 === 3 ? '－ ' : ''),
        )
        .join('');
    const res = await browser.login(messy(customer.registrationCode), messy(customer.loginKey));
    expect(res.status).toBe(303);
  });

  it('when either half is wrong, then one neutral message is shown that does not say which', async () => {
    const { campaign, customer, browser } = await setup(0);
    const other = await buildCustomer(deps, campaign);
    const wrongKey = await browser.login(customer.registrationCode, other.loginKey);
    const wrongCode = await browser.login(other.registrationCode.slice(0, 11) + 'Z', customer.loginKey);
    const unknown = await browser.login('AAAA-BBBB-CCCC', customer.loginKey);
    for (const res of [wrongKey, wrongCode, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('ご登録用コードまたはログインキーが正しくありません');
    }
    const strip = (t: string) => t.replace(/name="_csrf" value="[^"]+"/, '');
    expect(strip(wrongKey.text)).toBe(strip(unknown.text));
    const attempts = await deps.db
      .selectFrom('login_attempts')
      .select('outcome')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(attempts.filter((a) => a.outcome === 'failure')).toHaveLength(3);
  });

  it('when the login form is empty, then each missing field is named and nothing is recorded', async () => {
    const { campaign, browser } = await setup(0);
    const res = await browser.login(' ', '');
    expect(res.status).toBe(400);
    expect(res.text).toContain('ご登録用コードを入力してください');
    expect(res.text).toContain('ログインキーを入力してください');
    const attempts = await deps.db
      .selectFrom('login_attempts')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(attempts).toHaveLength(0);
  });

  it('when a book card is chosen with a corrected address, then the address is stored for shipping', async () => {
    const { customer, browser } = await setup(0);
    await browser.login(customer.registrationCode, customer.loginKey);
    const form = {
      option: 'book_card',
      dataChoice: 'erasure',
      addressAction: 'correct',
      postalCode: '５３０－０００１',
      address: '大阪府大阪市北区梅田1-2-3',
    };
    const confirm = await browser.confirm(form);
    expect(confirm.text).toContain('〒530-0001');
    expect(confirm.text).toContain('ポイントも全て消去されます');
    await browser.complete(form);
    const [redemption] = await redemptionsOf(customer.id);
    expect(redemption).toMatchObject({
      option: 'book_card',
      brand: null,
      data_choice: 'erasure',
      address_confirmed: true,
    });
    const personal = await deps.db
      .selectFrom('customer_personal')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(personal).toMatchObject({
      ship_postal_code: '5300001',
      ship_address: '大阪府大阪市北区梅田1-2-3',
    });
    const status = await browser.my();
    expect(status.text).toContain('発送の準備をしています');
    expect(status.text).toContain('お詫びの品の発送後に、お客様の個人情報を消去いたします');
  });

  it('when a donation is chosen, then it is recorded with the campaign amount', async () => {
    const { customer, browser } = await setup(0);
    await browser.login(customer.registrationCode, customer.loginKey);
    await browser.complete({ option: 'donation', dataChoice: 'none' });
    const [redemption] = await redemptionsOf(customer.id);
    expect(redemption).toMatchObject({ option: 'donation', amount_yen: 500 });
  });

  it.each([
    [{ dataChoice: 'none' }, 'お詫びの品をお選びください'],
    [{ option: 'gold', dataChoice: 'none' }, 'お詫びの品をお選びください'],
    [{ option: 'emoney', dataChoice: 'none' }, '電子マネーの種類をお選びください'],
    [{ option: 'emoney', brand: 'bitcoin', dataChoice: 'none' }, '電子マネーの種類をお選びください'],
    [{ option: 'donation' }, '個人情報のお取り扱いについてお選びください'],
    [{ option: 'donation', dataChoice: 'sell' }, '個人情報のお取り扱いについてお選びください'],
    [{ option: 'book_card', dataChoice: 'none' }, '図書カードのお届け先をご確認ください'],
    [
      {
        option: 'book_card',
        dataChoice: 'none',
        addressAction: 'correct',
        postalCode: '12345',
        address: '東京都千代田区大手町1-1',
      },
      '郵便番号は7桁の数字で入力してください',
    ],
    [
      {
        option: 'book_card',
        dataChoice: 'none',
        addressAction: 'correct',
        postalCode: '1000004',
        address: '',
      },
      '住所を都道府県から番地まで入力してください',
    ],
    [
      {
        option: 'book_card',
        dataChoice: 'none',
        addressAction: 'correct',
        postalCode: '1000004',
        address: '千代田区大手町1-1-1',
      },
      '住所は都道府県名から入力してください',
    ],
    [
      {
        option: 'book_card',
        dataChoice: 'none',
        addressAction: 'correct',
        postalCode: '1000004',
        address: '東京都千代田区大手町',
      },
      '番地まで入力してください',
    ],
  ])('when the choice %j is submitted, then "%s" is shown and nothing is written', async (form, message) => {
    const { customer, browser } = await setup(2);
    await browser.login(customer.registrationCode, customer.loginKey);
    for (const res of [
      await browser.confirm(form as Record<string, string>),
      await browser.complete(form as Record<string, string>),
    ]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).toContain('role="alert"');
    }
    expect(await redemptionsOf(customer.id)).toHaveLength(0);
  });

  it('when the customer goes back from the confirmation page, then the form is shown with their choice', async () => {
    const { customer, browser } = await setup();
    await browser.login(customer.registrationCode, customer.loginKey);
    const res = await browser.complete({
      option: 'emoney',
      brand: 'amazon',
      dataChoice: 'none',
      action: 'back',
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="brand-amazon" name="brand" value="amazon" checked/);
    expect(await redemptionsOf(customer.id)).toHaveLength(0);
  });

  it('when the same customer submits twice at once, then exactly one redemption and one code exist', async () => {
    const { customer, browser } = await setup(20);
    await browser.login(customer.registrationCode, customer.loginKey);
    const csrf = await browser.token(`/c/${browser.slug}/my`);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        browser.complete({ option: 'emoney', brand: i % 2 ? 'edy' : 'nanaco', dataChoice: 'none' }, csrf),
      ),
    );
    for (const r of results) expect(r.status).toBe(303);
    const redemptions = await redemptionsOf(customer.id);
    expect(redemptions).toHaveLength(1);
    const allocated = await deps.db
      .selectFrom('emoney_codes')
      .select('id')
      .where('redemption_id', 'is not', null)
      .where('campaign_id', '=', redemptions[0]!.campaign_id)
      .execute();
    expect(allocated).toHaveLength(1);
  });

  it('when the pool of a brand is empty, then the customer gets a clear message and nothing is written', async () => {
    const { customer, browser } = await setup(0);
    await browser.login(customer.registrationCode, customer.loginKey);
    const res = await browser.complete({ option: 'emoney', brand: 'edy', dataChoice: 'none' });
    expect(res.status).toBe(503);
    expect(res.text).toContain('在庫を補充しております');
    expect(res.text).toContain('お手続きはまだ完了しておりません');
    expect(await redemptionsOf(customer.id)).toHaveLength(0);
  });

  it('when the customer had asked for erasure before the letter, then erasure is kept whatever the form says', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign, { erasureRequestedBefore: true });
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.login(customer.registrationCode, customer.loginKey);
    expect((await browser.my()).text).toContain('すでに個人情報消去のご連絡をいただいております');
    await browser.complete({ option: 'donation', dataChoice: 'none' });
    const [redemption] = await redemptionsOf(customer.id);
    expect(redemption!.data_choice).toBe('erasure');
  });

  it('when a POST carries no CSRF token, then it is refused and nothing is written', async () => {
    const { campaign, customer, browser } = await setup(0);
    await browser.login(customer.registrationCode, customer.loginKey);
    const res = await browser.agent
      .post(`/c/${campaign.slug}/my/complete`)
      .type('form')
      .send({ option: 'donation', dataChoice: 'none', action: 'complete' });
    expect(res.status).toBe(403);
    expect(await redemptionsOf(customer.id)).toHaveLength(0);
  });

  it('when there is no session or a forged one, then the customer is sent to the login page', async () => {
    const { campaign, browser } = await setup(0);
    const anonymous = await browser.my();
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/c/${campaign.slug}/login`);
    const forged = await browser.agent
      .get(`/c/${campaign.slug}/my`)
      .set('Cookie', 'owabi_session=eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.');
    expect(forged.status).toBe(303);
  });

  it('when a session of one campaign is used on another, then it is not accepted there', async () => {
    const a = await setup(0);
    const other = await buildCampaign(deps);
    await a.browser.login(a.customer.registrationCode, a.customer.loginKey);
    const res = await a.browser.agent.get(`/c/${other.slug}/my`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/c/${other.slug}/login`);
  });

  it('when pages are served, then they carry a strict CSP, no-store and HttpOnly SameSite cookies', async () => {
    const { campaign, customer, browser } = await setup(0);
    const res = await browser.agent.get(`/c/${campaign.slug}/login`);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    expect(res.headers['cache-control']).toBe('no-store');
    const login = await browser.login(customer.registrationCode, customer.loginKey);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('owabi_session='),
    );
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(login.headers.location).not.toContain(customer.registrationCode);
    // A page of personal data carries no digest of itself either.
    const my = await browser.agent.get(`/c/${campaign.slug}/my`);
    expect(my.status).toBe(200);
    expect(my.headers['cache-control']).toBe('no-store');
    expect(my.headers.etag).toBeUndefined();
  });

  it('when an unknown campaign or page is asked for, then a 404 page is shown', async () => {
    const browser = new CustomerBrowser(app, 'nope');
    const res = await browser.agent.get('/c/no-such-campaign');
    expect(res.status).toBe(404);
    expect(res.text).toContain('ページが見つかりません');
  });
});
