import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import {
  axeSeriousViolations,
  CHROMIUM_PATH,
  describeInChromium,
  horizontalOverflow,
  screenshot,
  useBrowserApp,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';

const TIMEOUT = 90_000;

describeInChromium(`customer pages in English in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  const web = useBrowserApp(app);
  /** A small phone (375×667) whose browser asks for `locale`; JavaScript on or off. */
  const newPhone = (locale: string, javaScriptEnabled = true) => web.phone({ locale, javaScriptEnabled });

  /**
   * Every page: English, no sideways scrolling on the phone, a screenshot, and no serious axe finding
   * (axe runs as a script in the page: not where JavaScript is off).
   */
  async function check(page: Page, name: string, axe = true) {
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await screenshot(page, `en-${name}`);
    expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeNull();
    if (axe)
      expect(await axeSeriousViolations(page, `en-${name}`), `axe serious/critical on ${name}`).toEqual([]);
  }

  it(
    'when an English-speaking customer on a phone goes from the letter to the gift code, then every page is English and accessible',
    async () => {
      const campaign = await buildCampaign(deps);
      await buildEmoneyPool(deps, campaign, 2);
      const customer = await buildCustomer(deps, campaign);
      const page = await newPhone('en-GB');

      await page.goto(`${web.baseUrl}/c/${campaign.slug}`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
        'Our apology and report concerning the leak of customer information',
      );
      await page.getByRole('heading', { name: 'Beware of impersonation and phishing' }).waitFor();
      await check(page, 'landing');
      await page.goto(`${web.baseUrl}/c/${campaign.slug}/faq`);
      await check(page, 'faq');
      await page.goto(`${web.baseUrl}/c/${campaign.slug}`);

      await page.getByRole('link', { name: 'Request your gift of apology' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/login`);
      await check(page, 'login');
      await page.getByLabel('Registration code').fill('WRONG-CODE-0000');
      await page.getByLabel('Login key').fill('wrong-key');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').getByText('The registration code or login key is not correct.').waitFor();
      await check(page, 'login-refused');
      await page.getByLabel('Registration code').fill(customer.registrationCode);
      await page.getByLabel('Login key').fill(customer.loginKey);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/my`);

      await page.getByRole('region', { name: 'Your information that was leaked' }).waitFor();
      await check(page, 'choice');
      await page.getByRole('button', { name: 'Continue to confirmation' }).click();
      await page.getByRole('alert').getByText('Please check what you have entered.').waitFor();
      await expect(page.getByText('Please choose a gift of apology.').first().isVisible()).resolves.toBe(
        true,
      );
      await check(page, 'choice-refused');
      await page.getByLabel('E-money gift of your choice worth ¥500 (¥500)').check();
      await page.getByLabel('nanaco').check();
      await page.getByLabel('Stop sending me direct mail and making sales calls').check();
      await page.getByRole('button', { name: 'Continue to confirmation' }).click();

      await page.getByRole('heading', { level: 1, name: 'Please confirm your request' }).waitFor();
      await check(page, 'confirm');
      await page.getByRole('button', { name: 'Submit this request' }).click();

      await page.waitForURL(`**/c/${campaign.slug}/my?done=1`);
      await page.getByRole('heading', { level: 1, name: 'Your request is complete' }).waitFor();
      const code = page.getByRole('region', { name: 'Your e-money gift code' }).locator('.code');
      await expect(code.innerText()).resolves.toMatch(/\S{8,}/);
      await check(page, 'complete');
    },
    TIMEOUT,
  );

  it(
    'when a customer without JavaScript follows the switch link, then the same page comes back in English and stays English',
    async () => {
      const campaign = await buildCampaign(deps);
      const page = await newPhone('ja-JP', false);
      await page.goto(`${web.baseUrl}/c/${campaign.slug}/faq`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
      await page.getByRole('navigation', { name: '言語' }).getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`**/c/${campaign.slug}/faq`);
      await page.getByRole('heading', { level: 1, name: 'Frequently asked questions (FAQ)' }).waitFor();
      await check(page, 'faq-switched-no-js', false);

      // The choice sticks: another page, though the browser still asks for Japanese.
      await page.getByRole('link', { name: 'Back to our apology and report' }).click();
      await page.waitForURL(`**/c/${campaign.slug}`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

      // And back to Japanese the same way.
      await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: '日本語' }).click();
      await page.waitForURL(`**/c/${campaign.slug}`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
      await page.getByRole('link', { name: 'お詫びの品のお手続きはこちら' }).waitFor();
    },
    TIMEOUT,
  );
});
