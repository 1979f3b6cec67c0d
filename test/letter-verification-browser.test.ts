import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import { formatForPrint } from '../src/customers/codes.js';
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
import { buildCampaign } from './support/factories.js';
import { importPeople } from './support/letters.js';

const TIMEOUT = 90_000;

/**
 * A letter's QR code opened on a small phone: the verification page in Japanese and English, its
 * button to the login page with the code filled in, and the page for a letter that is not ours —
 * without sideways scrolling and without serious axe findings.
 */
describeInChromium(`letter verification in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  const web = useBrowserApp(app);
  const phone = () => web.phone();

  async function step(page: Page, name: string) {
    await screenshot(page, `letter-${name}`);
    expect(await horizontalOverflow(page), `${name} scrolls sideways`).toBeNull();
    const findings = await axeSeriousViolations(page, `letter-${name}`);
    expect(findings, `axe on ${name}`).toEqual([]);
  }

  async function printedLetter() {
    const campaign = await buildCampaign(deps);
    const { letters } = await importPeople(deps, campaign, [
      {
        ref: `B${randomBytes(4).toString('hex')}`,
        name: '画面 確子',
        kana: 'ガメン カクコ',
        birthDate: '1975-05-05',
        postalCode: '100-0004',
      },
    ]);
    return { campaign, letter: letters[0]! };
  }

  it(
    'when a genuine letter is scanned, then the page vouches for it in Japanese and English and its button opens the login with the code filled in',
    async () => {
      const { campaign, letter } = await printedLetter();
      const path = `/c/${campaign.slug}/letter/${letter.token}`;
      const page = await phone();
      await page.goto(`${web.baseUrl}${path}`);
      await page.getByRole('heading', { name: JA.letter.genuineHeading }).waitFor();
      await step(page, 'ja-genuine');

      await page.goto(`${web.baseUrl}${path}?lang=en`);
      await page.getByRole('heading', { name: EN.letter.genuineHeading }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await step(page, 'en-genuine');

      await page.getByRole('link', { name: EN.letter.toLogin }).click();
      await page.waitForURL(`**/c/${campaign.slug}/login?letter=*`);
      expect(page.url()).not.toContain(letter.registrationCode);
      // The page shows the code's last 4 characters only; the form carries the letter's token.
      await expect(page.locator('#registrationCode').inputValue()).resolves.toBe('');
      await expect(page.content()).resolves.not.toContain(formatForPrint(letter.registrationCode));
      await page.getByText(letter.registrationCode.slice(-4), { exact: false }).first().waitFor();
      await step(page, 'en-login-prefilled');
      await page.locator('#loginKey').fill(letter.loginKey);
      await page.locator(`form[action="/c/${campaign.slug}/login"] button[type="submit"]`).click();
      await page.waitForURL(`**/c/${campaign.slug}/my`);
    },
    TIMEOUT,
  );

  it(
    'when a letter that is not ours is scanned, then the page says so plainly in Japanese and English',
    async () => {
      const campaign = await buildCampaign(deps);
      const path = `/c/${campaign.slug}/letter/${randomBytes(16).toString('base64url')}`;
      const page = await phone();
      await page.goto(`${web.baseUrl}${path}`);
      await page.getByRole('heading', { name: JA.letter.unknownHeading }).waitFor();
      await step(page, 'ja-unknown');
      await page.goto(`${web.baseUrl}${path}?lang=en`);
      await page.getByRole('heading', { name: EN.letter.unknownHeading }).waitFor();
      await step(page, 'en-unknown');
    },
    TIMEOUT,
  );
});
