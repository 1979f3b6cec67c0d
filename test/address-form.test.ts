import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { CustomerBrowser, csrfFrom } from './support/web.js';

/**
 * The customer's address form: "住所を検索" re-renders the form with the address filled in from the
 * postal code and writes nothing; a postal code of another prefecture is refused with a message;
 * 〒, full-width digits and kanji block numbers are accepted and stored normalised.
 */

const deps = useTestDeps();
const app = createApp(deps);

async function loggedIn() {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  const browser = new CustomerBrowser(app, campaign.slug);
  await browser.login(customer.registrationCode, customer.loginKey);
  return { campaign, customer, browser };
}

const BOOK_CARD = { option: 'book_card', dataChoice: 'marketing_optout', addressAction: 'correct' };

/** What the customer's rows hold: no redemption, shipping address untouched unless one is made. */
async function written(customerId: string) {
  const redemptions = await deps.db
    .selectFrom('redemptions')
    .select('id')
    .where('customer_id', '=', customerId)
    .execute();
  const personal = await deps.db
    .selectFrom('customer_personal')
    .select(['ship_postal_code', 'ship_address'])
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return { redemptions: redemptions.length, ...personal };
}

const valueOf = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1]?.replaceAll('&#34;', '"');

describe('address look-up without JavaScript', () => {
  it('when 住所を検索 is pressed, then the form comes back with the address filled in, every other field kept, and nothing written', async () => {
    const { customer, browser } = await loggedIn();
    const before = await written(customer.id);

    const res = await browser.confirm({
      ...BOOK_CARD,
      action: 'lookup',
      postalCode: '〒１００－００１３',
      address: '',
    });

    expect(res.status).toBe(200);
    expect(valueOf(res.text, 'address')).toBe('東京都千代田区霞が関');
    expect(valueOf(res.text, 'postalCode')).toBe('〒１００－００１３');
    expect(res.text).toMatch(/id="option-book_card" name="option" value="book_card" checked/);
    expect(res.text).toMatch(
      /id="dataChoice-marketing_optout" name="dataChoice" value="marketing_optout" checked/,
    );
    expect(res.text).toMatch(/id="addressAction-correct" name="addressAction" value="correct" checked/);
    expect(res.text).toContain('郵便番号から「東京都千代田区霞が関」を住所欄に入力しました');
    expect(res.text).toContain('role="status"');
    expect(await written(customer.id)).toEqual(before);

    // The re-rendered form carries a working CSRF token: it can be sent on as it stands.
    const _csrf = csrfFrom(res.text);
    const confirm = await browser.agent
      .post(`/c/${browser.slug}/my/confirm`)
      .type('form')
      .send({
        _csrf,
        ...BOOK_CARD,
        postalCode: '〒１００－００１３',
        address: '東京都千代田区霞が関一丁目二番三号',
      });
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('東京都千代田区霞が関1丁目2番3号');
  });

  it('when the address already has a block number and building, then 住所を検索 keeps them after the new town', async () => {
    const { browser } = await loggedIn();
    const res = await browser.confirm({
      ...BOOK_CARD,
      action: 'lookup',
      postalCode: '100-0013',
      address: '東京都千代田区大手町一丁目一番一号　霞が関ビル３階',
    });
    expect(res.status).toBe(200);
    expect(valueOf(res.text, 'address')).toBe('東京都千代田区霞が関1丁目1番1号 霞が関ビル3階');
  });

  it.each([
    ['9999999', 'この郵便番号の住所が見つかりませんでした'],
    ['', '郵便番号を入力してから「住所を検索」を押してください'],
    ['12345', '郵便番号は7桁の数字で入力してください'],
  ])(
    'when 住所を検索 is pressed with "%s", then the postal code field says why and nothing is written',
    async (postalCode, message) => {
      const { customer, browser } = await loggedIn();
      const before = await written(customer.id);
      const res = await browser.confirm({
        ...BOOK_CARD,
        action: 'lookup',
        postalCode,
        address: '大阪府大阪市北区梅田1-2-3',
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).toMatch(/id="postalCode"[^>]*aria-invalid="true"/);
      expect(valueOf(res.text, 'address')).toBe('大阪府大阪市北区梅田1-2-3');
      expect(await written(customer.id)).toEqual(before);
    },
  );

  it('when the page is in English, then the look-up and prefecture-check texts are English', async () => {
    const { campaign, browser } = await loggedIn();
    await browser.agent.get(`/c/${campaign.slug}/my?lang=en`);
    const res = await browser.confirm({ ...BOOK_CARD, action: 'lookup', postalCode: '1000013', address: '' });
    expect(res.text).toContain('was filled in from the postal code');
    expect(res.text).toContain('Find address');
    const unknown = await browser.confirm({
      ...BOOK_CARD,
      action: 'lookup',
      postalCode: '9999999',
      address: '',
    });
    expect(unknown.text).toContain('No address was found for this postal code');
    const mismatch = await browser.confirm({
      ...BOOK_CARD,
      postalCode: '1000004',
      address: '大阪府大阪市北区梅田1-2-3',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The postal code belongs to 東京都, but the address is in 大阪府');
  });
});

describe('address checks of the choice', () => {
  it('when the postal code is of another prefecture than the address, then the choice is refused with a message and nothing is written', async () => {
    const { customer, browser } = await loggedIn();
    const before = await written(customer.id);
    const form = { ...BOOK_CARD, postalCode: '100-0004', address: '大阪府大阪市北区梅田1-2-3' };
    for (const res of [await browser.confirm(form), await browser.complete(form)]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('郵便番号は東京都の番号ですが、住所は大阪府になっています');
      expect(res.text).toMatch(/id="postalCode"[^>]*aria-invalid="true"/);
    }
    expect(await written(customer.id)).toEqual(before);
  });

  it('when 〒, full-width digits, any dash and kanji block numbers are used, then the choice is stored normalised', async () => {
    const { customer, browser } = await loggedIn();
    const form = {
      ...BOOK_CARD,
      postalCode: '〒１００ー０００４',
      address: '東京都千代田区大手町一丁目二十三番四号　大手町ビル',
    };
    const confirm = await browser.confirm(form);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('〒100-0004');
    const done = await browser.complete(form);
    expect(done.status).toBe(303);
    expect(await written(customer.id)).toMatchObject({
      redemptions: 1,
      ship_postal_code: '1000004',
      ship_address: '東京都千代田区大手町1丁目23番4号 大手町ビル',
    });
  });

  it("when the postal code is a company's own (not in Japan Post's list), then it cannot be checked and is accepted", async () => {
    const { customer, browser } = await loggedIn();
    const done = await browser.complete({
      ...BOOK_CARD,
      postalCode: '100-8111',
      address: '東京都千代田区千代田1-1',
    });
    expect(done.status).toBe(303);
    expect(await written(customer.id)).toMatchObject({ redemptions: 1, ship_postal_code: '1008111' });
  });
});
