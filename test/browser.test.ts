import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import {
  axeSeriousViolations,
  CHROMIUM_PATH,
  describeInChromium,
  focused,
  horizontalOverflow,
  screenshot,
  tabTo,
  useBrowserApp,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';

const TIMEOUT = 60_000;

/** The code under the heading 電子マネーギフトのコード, as a person (or a screen reader) finds it. */
const giftCode = (page: Page) =>
  page.getByRole('region', { name: '電子マネーギフトのコード' }).locator('.code');

/** How a person copies the code from the letter: lower case, a hyphen every four characters. */
const asTyped = (code: string) => code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-');

describeInChromium(`customer path in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  const web = useBrowserApp(app);
  const newPhone = () => web.phone();

  /** Every page: no horizontal scrolling on the phone, and a screenshot for people to look at. */
  async function step(page: Page, name: string) {
    await screenshot(page, name);
    expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeNull();
  }

  async function expectAccessible(page: Page, name: string) {
    expect(await axeSeriousViolations(page, name), `axe serious/critical on ${name}`).toEqual([]);
  }

  async function setup() {
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 3);
    const customer = await buildCustomer(deps, campaign);
    return { campaign, customer };
  }

  it(
    'when a customer on a small phone chooses e-money, then the gift code is shown and shown again after logging in anew',
    async () => {
      const { campaign, customer } = await setup();
      const page = await newPhone();

      // Landing page
      const landing = await page.goto(`${web.baseUrl}/c/${campaign.slug}`);
      expect(landing?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'お客様情報漏えいに関するお詫びとご報告',
      );
      await page.getByRole('heading', { name: 'なりすまし・フィッシング詐欺にご注意ください' }).waitFor();
      await step(page, '01-landing');
      await expectAccessible(page, 'landing');

      // Login
      await page.getByRole('link', { name: 'お詫びの品のお手続きはこちら' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/login`);
      await step(page, '02-login');
      await expectAccessible(page, 'login');
      await page.getByLabel('ご登録用コード').pressSequentially(asTyped(customer.registrationCode));
      await page.getByLabel('ログインキー').pressSequentially(asTyped(customer.loginKey));
      await step(page, '03-login-filled');
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/my`);

      // What leaked, then the choice form
      const yours = page.getByRole('region', { name: '漏えいしたお客様の情報' });
      await expect(yours.getByRole('listitem').allTextContents()).resolves.toEqual([
        'サービスにご登録いただいた方のお名前、性別、生年月日',
        '住所',
        '電話番号',
      ]);
      await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('入力');
      await step(page, '04-choice');
      await expectAccessible(page, 'choice');
      await page.getByLabel('500円分の選べる電子マネーギフト（500円分）').check();
      await page.getByLabel('nanaco').check();
      await page.getByLabel('ダイレクトメールの発送や営業電話を停止する').check();
      await step(page, '05-choice-filled');
      await page.getByRole('button', { name: '確認画面へ進む' }).click();

      // Confirmation
      await page.getByRole('heading', { level: 1, name: 'お手続き内容の確認' }).waitFor();
      await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('確認');
      await expect(page.locator('dl.summary').innerText()).resolves.toContain('nanaco');
      expect(
        await deps.db.selectFrom('redemptions').select('id').where('customer_id', '=', customer.id).execute(),
      ).toEqual([]);
      await step(page, '06-confirm');
      await expectAccessible(page, 'confirmation');
      await page.getByRole('button', { name: 'この内容で申し込む' }).click();

      // Completion: the code is on the page
      await page.waitForURL(`**/c/${campaign.slug}/my?done=1`);
      await page.getByRole('heading', { level: 1, name: 'お手続きが完了しました' }).waitFor();
      await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('完了');
      const allocated = await deps.db
        .selectFrom('emoney_codes')
        .innerJoin('redemptions', 'redemptions.id', 'emoney_codes.redemption_id')
        .select(['emoney_codes.code', 'emoney_codes.brand'])
        .where('redemptions.customer_id', '=', customer.id)
        .execute();
      expect(allocated).toHaveLength(1);
      expect(allocated[0]!.brand).toBe('nanaco');
      const code = allocated[0]!.code;
      const shown = giftCode(page);
      await expect(shown.innerText()).resolves.toBe(code);
      expect(await shown.isVisible()).toBe(true);
      await step(page, '07-complete');
      await expectAccessible(page, 'completion');

      // Log out, log in again: the same code
      await page.getByRole('button', { name: 'ログアウト' }).click();
      await page.waitForURL(`**/c/${campaign.slug}`);
      await step(page, '08-logged-out');
      await page.goto(`${web.baseUrl}/c/${campaign.slug}/my`);
      await page.waitForURL(`**/c/${campaign.slug}/login`); // the session really ended
      await page.getByLabel('ご登録用コード').pressSequentially(asTyped(customer.registrationCode));
      await page.getByLabel('ログインキー').pressSequentially(asTyped(customer.loginKey));
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/my`);
      await page.getByRole('heading', { level: 1, name: 'お手続きの状況' }).waitFor();
      await expect(giftCode(page).innerText()).resolves.toBe(code);
      expect(await page.getByRole('button', { name: '確認画面へ進む' }).count()).toBe(0);
      await step(page, '09-status-again');
      await expectAccessible(page, 'status');
    },
    TIMEOUT,
  );

  it(
    'when a keyboard-only customer chooses the book card with a corrected address, then it is confirmed and stored',
    async () => {
      const { campaign, customer } = await setup();
      const page = await newPhone();
      await page.goto(`${web.baseUrl}/c/${campaign.slug}`);

      await tabTo(page, 'a:お詫びの品のお手続きはこちら');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/c/${campaign.slug}/login`);

      await tabTo(page, '#registrationCode');
      await page.keyboard.type(asTyped(customer.registrationCode));
      await tabTo(page, '#loginKey');
      await page.keyboard.type(customer.loginKey.toLowerCase());
      await page.keyboard.press('Enter'); // submits the form from the field
      await page.waitForURL(`**/c/${campaign.slug}/my`);

      // Radio groups: Tab enters the group, arrow keys move the choice, Space selects.
      await tabTo(page, '#option-emoney');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focused(page)).toBe('#option-book_card');
      await page.keyboard.press('Space');
      await tabTo(page, '#addressAction-as_is');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focused(page)).toBe('#addressAction-correct');
      await tabTo(page, '#postalCode');
      await page.keyboard.type('530-0001');
      await tabTo(page, '#address');
      await page.keyboard.type('大阪府大阪市北区梅田1-2-3');
      await tabTo(page, '#dataChoice-none');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focused(page)).toBe('#dataChoice-erasure');
      await expect(page.locator('input[name="option"]:checked').getAttribute('value')).resolves.toBe(
        'book_card',
      );
      await expect(page.locator('input[name="addressAction"]:checked').getAttribute('value')).resolves.toBe(
        'correct',
      );
      await expect(page.locator('input[name="dataChoice"]:checked').getAttribute('value')).resolves.toBe(
        'erasure',
      );
      await step(page, 'kb-01-choice-filled');
      await tabTo(page, 'button:確認画面へ進む');
      await page.keyboard.press('Enter');

      await page.getByRole('heading', { level: 1, name: 'お手続き内容の確認' }).waitFor();
      const summary = await page.locator('dl.summary').innerText();
      expect(summary).toContain('500円分の全国共通図書カード');
      expect(summary).toContain('〒530-0001');
      expect(summary).toContain('大阪府大阪市北区梅田1-2-3');
      await expect(page.locator('main').innerText()).resolves.toContain('ポイントも全て消去されます');
      await step(page, 'kb-02-confirm');
      await tabTo(page, 'button:この内容で申し込む');
      await page.keyboard.press('Enter');

      await page.waitForURL(`**/c/${campaign.slug}/my?done=1`);
      await page.getByRole('heading', { level: 1, name: 'お手続きが完了しました' }).waitFor();
      const main = await page.locator('main').innerText();
      expect(main).toContain('発送の準備をしています');
      expect(main).toContain('〒530-0001');
      expect(main).toContain('お詫びの品の発送後に、お客様の個人情報を消去いたします');
      await step(page, 'kb-03-complete');

      const redemption = await deps.db
        .selectFrom('redemptions')
        .selectAll()
        .where('customer_id', '=', customer.id)
        .executeTakeFirstOrThrow();
      expect(redemption).toMatchObject({
        option: 'book_card',
        data_choice: 'erasure',
        address_confirmed: true,
      });
      const personal = await deps.db
        .selectFrom('customer_personal')
        .select(['ship_postal_code', 'ship_address'])
        .where('customer_id', '=', customer.id)
        .executeTakeFirstOrThrow();
      expect(personal).toEqual({ ship_postal_code: '5300001', ship_address: '大阪府大阪市北区梅田1-2-3' });
    },
    TIMEOUT,
  );

  it(
    'when the login is wrong, then the neutral error is shown and the same form still logs in',
    async () => {
      const { campaign, customer } = await setup();
      const other = await buildCustomer(deps, campaign);
      const page = await newPhone();
      await page.goto(`${web.baseUrl}/c/${campaign.slug}/login`);

      await page.getByLabel('ご登録用コード').fill(asTyped(customer.registrationCode));
      await page.getByLabel('ログインキー').fill(other.loginKey);
      await page.getByRole('button', { name: 'ログイン' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      await expect(alert.innerText()).resolves.toContain(
        'ご登録用コードまたはログインキーが正しくありません',
      );
      expect(page.url()).toBe(`${web.baseUrl}/c/${campaign.slug}/login`);
      // The message takes the focus, so a screen reader reads it first and Tab goes on to the form.
      await expect.poll(() => focused(page)).toBe('#form-message');
      await tabTo(page, '#registrationCode', 3);
      // Neutral: neither field is marked as the wrong one, and the key is not echoed back.
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
      await expect(page.getByLabel('ログインキー').inputValue()).resolves.toBe('');
      await expect(page.content()).resolves.not.toContain(other.loginKey);
      await step(page, '10-login-error');
      await expectAccessible(page, 'login-error');

      // The form is still there and works.
      await page.getByLabel('ご登録用コード').fill(customer.registrationCode.toLowerCase());
      await page.getByLabel('ログインキー').fill(asTyped(customer.loginKey));
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/my`);
      await page.getByRole('heading', { level: 1, name: 'お手続き' }).waitFor();
    },
    TIMEOUT,
  );
});
