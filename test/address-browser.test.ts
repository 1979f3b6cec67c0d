import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import { EN, JA } from '../src/messages/catalogue.js';
import {
  axeSeriousViolations,
  CHROMIUM_PATH,
  describeInChromium,
  horizontalOverflow,
  screenshot,
  useBrowserApp,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';

const TIMEOUT = 90_000;

/**
 * "住所を検索" in a real browser on a small phone, with JavaScript switched off: the button re-renders
 * the form with the address filled in; the pages stay accessible (axe) in Japanese and English.
 */
describeInChromium(`address look-up in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  const web = useBrowserApp(app);
  const newPhone = (javaScriptEnabled: boolean) => web.phone({ javaScriptEnabled });

  async function step(page: Page, name: string, axe = true) {
    await screenshot(page, `address-${name}`);
    expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeNull();
    if (!axe) return;
    const findings = await axeSeriousViolations(page, `address-${name}`);
    expect(findings, `axe on ${name}`).toEqual([]);
  }

  /** Logged in on the choice form (the login form posts; no script needed). */
  async function choiceForm(javaScriptEnabled: boolean): Promise<{ page: Page; customerId: string }> {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const page = await newPhone(javaScriptEnabled);
    await page.goto(`${web.baseUrl}/c/${campaign.slug}/login`);
    await page.locator('#registrationCode').fill(customer.registrationCode);
    await page.locator('#loginKey').fill(customer.loginKey);
    await page.locator(`form[action="/c/${campaign.slug}/login"] button[type="submit"]`).click();
    await page.waitForURL(`**/c/${campaign.slug}/my`);
    return { page, customerId: customer.id };
  }

  it(
    'when JavaScript is off and 住所を検索 is pressed, then the form comes back with the address filled in and can be sent on',
    async () => {
      const { page, customerId } = await choiceForm(false);
      await page.locator('#option-book_card').check();
      await page.locator('#addressAction-correct').check();
      await page.locator('#dataChoice-none').check();
      await page.locator('#postalCode').fill('〒１００－００１３');
      await page.getByRole('button', { name: JA.address.lookupButton }).click();

      await page.getByRole('status').waitFor();
      await expect(page.locator('#address').inputValue()).resolves.toBe('東京都千代田区霞が関');
      await expect(page.locator('#postalCode').inputValue()).resolves.toBe('〒１００－００１３');
      await expect(page.locator('#option-book_card').isChecked()).resolves.toBe(true);
      await expect(page.locator('#dataChoice-none').isChecked()).resolves.toBe(true);
      await step(page, 'ja-filled', false);
      const redemptions = () =>
        deps.db.selectFrom('redemptions').select('id').where('customer_id', '=', customerId).execute();
      expect(await redemptions()).toEqual([]);

      await page.locator('#address').fill('東京都千代田区霞が関一丁目二番三号');
      await page.getByRole('button', { name: '確認画面へ進む' }).click();
      await page.getByText('東京都千代田区霞が関1丁目2番3号').waitFor();
      expect(await redemptions()).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'when the look-up and the prefecture check answer, then the form stays accessible on a phone in Japanese and English',
    async () => {
      const { page } = await choiceForm(true);
      await page.locator('#option-book_card').check();
      await page.locator('#addressAction-correct').check();
      await page.locator('#dataChoice-none').check();
      await step(page, 'ja-form');

      await page.locator('#postalCode').fill('1000013');
      await page.getByRole('button', { name: JA.address.lookupButton }).click();
      await page.getByRole('status').waitFor();
      await step(page, 'ja-lookup');

      await page.locator('#postalCode').fill('9999999');
      await page.getByRole('button', { name: JA.address.lookupButton }).click();
      await page.locator('#postalCode-error').getByText(JA.address.lookupUnknown).waitFor();
      await step(page, 'ja-unknown');

      await page.locator('#postalCode').fill('100-0004');
      await page.locator('#address').fill('大阪府大阪市北区梅田1-2-3');
      await page.getByRole('button', { name: '確認画面へ進む' }).click();
      await page.locator('#postalCode-error').getByText('住所は大阪府になっています').waitFor();
      await step(page, 'ja-mismatch');

      await page.goto(`${page.url()}?lang=en`);
      await page.locator('#option-book_card').check();
      await page.locator('#addressAction-correct').check();
      await page.locator('#postalCode').fill('100-0013');
      await page.getByRole('button', { name: EN.address.lookupButton }).click();
      await page.getByRole('status').getByText('was filled in from the postal code').waitFor();
      await expect(page.locator('#address').inputValue()).resolves.toBe('東京都千代田区霞が関');
      await step(page, 'en-lookup');
    },
    TIMEOUT,
  );
});
