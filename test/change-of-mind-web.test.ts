import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildRedemption, buildShippingBatch } from './support/factories.js';
import type { GiftOption } from '../src/redemption/redemption.table.js';
import { CustomerBrowser } from './support/web.js';

const deps = useTestDeps();
const app = createApp(deps);

async function loggedIn(option: GiftOption, lang?: 'en') {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  const r = await buildRedemption(deps, { customer, option });
  const browser = new CustomerBrowser(app, campaign.slug);
  if (lang) await browser.agent.get(`/c/${campaign.slug}?lang=${lang}`);
  await browser.login(customer.registrationCode, customer.loginKey);
  const base = `/c/${campaign.slug}/my`;
  const post = async (path: string, form: Record<string, string>, csrf = true) => {
    const _csrf = csrf ? await browser.token(`${base}/change`) : undefined;
    return browser.agent
      .post(`${base}${path}`)
      .type('form')
      .send({ ...(_csrf ? { _csrf } : {}), ...form });
  };
  return { campaign, customer, redemptionId: r.id, browser, base, post };
}

const redemptionOf = (id: string) =>
  deps.db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const changesOf = (id: string) =>
  deps.db.selectFrom('redemption_changes').selectAll().where('redemption_id', '=', id).execute();

describe('the change page', () => {
  it('when a book-card customer switches to a donation through form, confirmation and submit, then the status page shows the donation, the confirmation and what can still change', async () => {
    const { browser, base, post, redemptionId } = await loggedIn('book_card');
    const status = await browser.agent.get(base);
    expect(status.text).toContain('お手続き内容の変更');
    expect(status.text).toContain('発送の準備（発送先リストの作成）に入るまで変更できます');
    expect(status.text).toMatch(/変更の期限：.+まで/);
    const page = await browser.agent.get(`${base}/change`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="donation"');
    const confirm = await post('/change/confirm', { option: 'donation', dataChoice: '' });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('変更内容の確認');
    expect(await changesOf(redemptionId)).toEqual([]);
    const done = await post('/change', { option: 'donation', dataChoice: '', action: 'change' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${base}?changed=1`);
    expect((await redemptionOf(redemptionId)).option).toBe('donation');
    const [row] = await changesOf(redemptionId);
    expect(row).toMatchObject({ channel: 'web', option_before: 'book_card', option_after: 'donation' });
    const after = await browser.agent.get(`${base}?changed=1`);
    expect(after.text).toContain('お手続き内容を変更しました。');
    expect(after.text).toContain('ご寄付は、寄付の手続きが完了するまで変更できます。');
    expect(after.text).toMatch(/変更の記録: \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
  });

  it('when "back" is pressed on the confirmation, then the form comes back filled in and nothing is written', async () => {
    const { post, redemptionId } = await loggedIn('donation');
    const res = await post('/change', { option: 'book_card', action: 'back' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="option-book_card" name="option" value="book_card" checked/);
    expect((await redemptionOf(redemptionId)).option).toBe('donation');
    expect(await changesOf(redemptionId)).toEqual([]);
  });

  it("when the card was cut into a batch meanwhile, then the form shows why, in the reader's language, and nothing is written", async () => {
    for (const lang of [undefined, 'en'] as const) {
      const { campaign, post, redemptionId } = await loggedIn('book_card', lang);
      await buildShippingBatch(deps, campaign, { lines: [{ redemptionId }] });
      const res = await post('/change', { option: 'donation', action: 'change' });
      expect(res.status).toBe(409);
      expect(res.text).toContain(
        lang === 'en'
          ? 'already being prepared for dispatch'
          : '図書カードはすでに発送の準備に入っているため',
      );
      expect((await redemptionOf(redemptionId)).option).toBe('book_card');
      expect(await changesOf(redemptionId)).toEqual([]);
    }
  });

  it('when the form is bad (unknown value, bad postal code, nothing chosen) or has no CSRF token, then it is refused and nothing is written', async () => {
    const { post, redemptionId } = await loggedIn('donation');
    expect((await post('/change/confirm', { option: 'cash' })).status).toBe(400);
    const bad = await post('/change', {
      option: 'book_card',
      addressAction: 'correct',
      postalCode: '12',
      address: '東京都千代田区1-1',
      action: 'change',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('郵便番号は7桁');
    const nothing = await post('/change/confirm', { option: '', dataChoice: '' });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('変更する内容が選ばれていません。');
    expect((await post('/change', { option: 'book_card', action: 'change' }, false)).status).toBe(403);
    expect((await redemptionOf(redemptionId)).option).toBe('donation');
    expect(await changesOf(redemptionId)).toEqual([]);
  });

  it('when an e-money customer opens the page, then the gift is shown as locked and only the data choice can change', async () => {
    const { browser, base, post, redemptionId } = await loggedIn('emoney');
    const page = await browser.agent.get(`${base}/change`);
    expect(page.text).not.toContain('name="option"');
    expect(page.text).toContain('value="marketing_optout"');
    expect((await post('/change', { option: 'donation', action: 'change' })).status).toBe(409);
    const ok = await post('/change', { dataChoice: 'erasure', action: 'change' });
    expect(ok.status).toBe(303);
    expect((await redemptionOf(redemptionId)).data_choice).toBe('erasure');
  });

  it('when a step is opened by GET (reload, new tab), then it leads back to the form or the login, never "not found"', async () => {
    const { browser, base } = await loggedIn('donation');
    const res = await browser.agent.get(`${base}/change/confirm`);
    expect([res.status, res.headers.location]).toEqual([303, `${base}/change`]);
    const other = new CustomerBrowser(app, base.split('/')[2]!);
    const anon = await other.agent.get(`${base}/change`);
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/\/login$/);
  });
});
