import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import {
  axeSeriousViolations,
  describeInChromium,
  horizontalOverflow,
  screenshot,
  useBrowserApp,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import {
  buildCampaign,
  buildCustomer,
  buildEmoneyPool,
  buildRedemption,
  redeem,
} from './support/factories.js';
import type { TestCustomer } from './support/factories.js';

const TIMEOUT = 90_000;

/** Pages of the page printed to A4 (Chromium's print pipeline, print media). */
async function pdfPages(page: Page): Promise<number> {
  const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  return (pdf.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describeInChromium('receipt and change of mind in a real browser', () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  const web = useBrowserApp(app);

  async function phoneLoggedIn(slug: string, customer: TestCustomer, lang: 'ja' | 'en'): Promise<Page> {
    const page = await web.phone();
    await page.goto(`${web.baseUrl}/c/${slug}/login?lang=${lang}`);
    await page.locator('input[name="registrationCode"]').fill(customer.registrationCode);
    await page.locator('input[name="loginKey"]').fill(customer.loginKey);
    await page.locator('main button[type="submit"]').click();
    await page.waitForURL(`**/c/${slug}/my`);
    return page;
  }

  async function check(page: Page, name: string) {
    await screenshot(page, `change-${name}`);
    expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeNull();
    expect(await axeSeriousViolations(page, `change-${name}`), `axe on ${name}`).toEqual([]);
  }

  for (const lang of ['ja', 'en'] as const) {
    it(
      `when a book-card customer on a phone (${lang}) changes to a donation, then every step reads well and the status says so`,
      async () => {
        const t = {
          ja: {
            link: 'お手続き内容を変更する',
            next: '確認画面へ進む',
            submit: 'この内容で変更する',
            done: 'お手続き内容を変更しました。',
            donation: 'ご寄付',
          },
          en: {
            link: 'Change your request',
            next: 'Continue to check',
            submit: 'Make this change',
            done: 'Your request has been changed.',
            donation: 'Donation',
          },
        }[lang];
        const campaign = await buildCampaign(deps);
        const customer = await buildCustomer(deps, campaign);
        const r = await buildRedemption(deps, { customer, option: 'book_card' });
        const page = await phoneLoggedIn(campaign.slug, customer, lang);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        await expect(page.getByTestId('reference').innerText()).resolves.toMatch(
          /^[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}$/,
        );
        await check(page, `${lang}-status`);
        await page.getByRole('link', { name: t.link }).click();
        await page.waitForURL('**/my/change');
        await check(page, `${lang}-form`);
        await page.getByLabel(t.donation, { exact: true }).check();
        await page.getByRole('button', { name: t.next }).click();
        await page.waitForURL('**/my/change/confirm');
        await check(page, `${lang}-confirm`);
        await page.getByRole('button', { name: t.submit }).click();
        await page.waitForURL('**/my?changed=1');
        await expect(page.getByRole('status').innerText()).resolves.toBe(t.done);
        await check(page, `${lang}-changed`);
        const row = await deps.db
          .selectFrom('redemptions')
          .select('option')
          .where('id', '=', r.id)
          .executeTakeFirstOrThrow();
        expect(row.option).toBe('donation');
      },
      TIMEOUT,
    );
  }

  it(
    'when an e-money customer prints the status page, then one clean page comes out with the reference number and the code',
    async () => {
      const campaign = await buildCampaign(deps);
      await buildEmoneyPool(deps, campaign, 2);
      const customer = await buildCustomer(deps, campaign);
      await redeem(deps, campaign, customer.id, { option: 'emoney', brand: 'nanaco', dataChoice: 'none' });
      const code = await deps.db
        .selectFrom('emoney_codes as e')
        .innerJoin('redemptions as r', 'r.id', 'e.redemption_id')
        .select('e.code')
        .where('r.customer_id', '=', customer.id)
        .executeTakeFirstOrThrow();
      const page = await phoneLoggedIn(campaign.slug, customer, 'ja');
      const reference = await page.getByTestId('reference').innerText();
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'change-print');
      expect(await page.locator('header.site').isVisible()).toBe(false);
      expect(await page.locator('footer.site').isVisible()).toBe(false);
      expect(await page.locator('nav.lang').isVisible()).toBe(false);
      expect(
        await page
          .locator('button, .button')
          .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length),
      ).toBe(0);
      expect(await page.getByTestId('reference').isVisible()).toBe(true);
      await expect(page.locator('.giftcode .code').innerText()).resolves.toBe(code.code);
      expect(await pdfPages(page)).toBe(1);
      // The completion page (thanks and steps) prints on one page too.
      await page.goto(`${web.baseUrl}/c/${campaign.slug}/my?done=1`);
      await expect(page.getByTestId('reference').innerText()).resolves.toBe(reference);
      expect(await page.locator('.steps').isVisible()).toBe(false);
      expect(await pdfPages(page)).toBe(1);
    },
    TIMEOUT,
  );
});
