import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import {
  axeSeriousViolations,
  CHROMIUM_PATH,
  describeInChromium,
  focused,
  focusIsVisible,
  launchChromium,
  listen,
  screenshot,
  tabTo,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { buildStaff, freshTotp } from './support/ops.js';

const TIMEOUT = 90_000;

/** As a clerk types a code from the card: lower case, a hyphen every four characters. */
const asTyped = (code: string) => code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-');

describeInChromium(`postcard entry in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await listen(app);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);

  /** Presses a key and waits for the page it submits to. */
  async function submitWith(page: Page, key: string) {
    await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  }

  async function step(page: Page, name: string, axe = true) {
    await screenshot(page, `postcards-${name}`);
    if (axe) expect(await axeSeriousViolations(page, `postcards-${name}`), `axe on ${name}`).toEqual([]);
  }

  it(
    'when a clerk keys a tray of postcards with the keyboard alone, then each card is checked, saved with Enter, and the batch closes',
    async () => {
      const campaign = await buildCampaign(deps);
      const alice = await buildCustomer(deps, campaign, { fullName: '佐藤 花子' });
      const bob = await buildCustomer(deps, campaign, { fullName: '鈴木 一郎' });
      const carol = await buildCustomer(deps, campaign, { fullName: '高橋 美咲' });
      const clerk = await buildStaff(deps, 'clerk');
      context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'ja-JP',
        timezoneId: 'Asia/Tokyo',
      });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();

      // Sign in: the user name field has the focus, Tab to the password, Enter.
      await page.goto(`${server.baseUrl}/ops/login`);
      await expect.poll(() => focused(page)).toBe('#username');
      await page.keyboard.type(clerk.username);
      await page.keyboard.press('Tab');
      await page.keyboard.type(clerk.password);
      await submitWith(page, 'Enter');
      // The second factor: its field has the focus.
      await expect.poll(() => focused(page)).toBe('#code');
      await page.keyboard.type(await freshTotp(clerk));
      await submitWith(page, 'Enter');

      // Open a batch of three cards: the label field has the focus.
      await page.goto(`${server.baseUrl}/ops/postcards/c/${campaign.slug}`);
      await expect.poll(() => focused(page)).toBe('#label');
      await page.keyboard.type('11月22日 トレイA');
      await page.keyboard.press('Tab');
      await page.keyboard.type('3');
      await step(page, '01-open-batch');
      await submitWith(page, 'Enter');
      expect(page.url()).toMatch(/\/ops\/postcards\/batches\/\d+$/);

      // Card 1: type the code, Enter → the masked name to check; book card and stop marketing; Enter.
      await expect.poll(() => focused(page)).toBe('#code');
      expect(await focusIsVisible(page)).toBe(true);
      await expect(page.getByRole('heading', { name: /はがき 1 番/ }).count()).resolves.toBe(1);
      await step(page, '02-entry');
      await page.keyboard.type(asTyped(alice.registrationCode));
      await submitWith(page, 'Enter');
      await expect(page.locator('.pc-name').textContent()).resolves.toBe('佐＊ 花＊');
      expect(await page.content()).not.toContain('佐藤');
      await expect.poll(() => focused(page)).toBe('#book_card');
      await step(page, '03-check');
      await page.keyboard.press('Space');
      await tabTo(page, '#stop_marketing');
      await page.keyboard.press('Space');
      await step(page, '04-ticked', false);
      // The first card of a tray has no postmark to copy: Enter without one asks for it, ticks kept.
      await submitWith(page, 'Enter');
      await expect(page.locator('#postmark-error').textContent()).resolves.toBe('消印日を入力してください。');
      await expect.poll(() => focused(page)).toBe('#postmarkDate');
      await expect(page.locator('#stop_marketing').isChecked()).resolves.toBe(true);
      await step(page, '04b-postmark-missing');
      await page.keyboard.type(jstDay(new Date()));
      await submitWith(page, 'Enter');
      await page.getByRole('status').getByText('受付', { exact: true }).waitFor();
      await expect.poll(() => focused(page)).toBe('#code');
      await step(page, '05-saved');

      // Card 2: two gifts ticked → invalid, shown with its reason.
      await page.keyboard.type(bob.registrationCode);
      await submitWith(page, 'Enter');
      await expect.poll(() => focused(page)).toBe('#book_card'); // autofocus lands after load
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await submitWith(page, 'Enter');
      await page.getByRole('status').getByText('無効（要確認）').waitFor();
      await expect(page.getByRole('status').textContent()).resolves.toContain(
        'お詫びの品に2つ以上の印があります。',
      );
      await step(page, '06-invalid', false);

      // Card 3: donation, and a postmark typed the short way (month and day) over the prefilled one.
      const yesterday = jstDay(new Date(Date.now() - 86400_000));
      await expect.poll(() => focused(page)).toBe('#code');
      await page.keyboard.type(carol.registrationCode);
      await submitWith(page, 'Enter');
      await expect.poll(() => focused(page)).toBe('#book_card');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await tabTo(page, '#postmarkDate');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(yesterday.slice(5).replace('-', ''));
      await step(page, '07-postmark', false);
      await submitWith(page, 'Enter');
      await page.getByRole('status').getByText('受付', { exact: true }).waitFor();

      // All three keyed: Tab to the close button, Enter.
      await expect(page.getByText('この束のはがきはすべて入力済みです。').count()).resolves.toBe(1);
      await tabTo(page, 'button:束を締める');
      await submitWith(page, 'Enter');
      await page.getByText(/に締められました。/).waitFor();
      await step(page, '08-closed');

      const entries = await deps.db
        .selectFrom('postcard_entries')
        .select(['seq', 'outcome', 'postmark_date', 'ticked_options', 'data_choice'])
        .where('campaign_id', '=', campaign.id)
        .orderBy('seq')
        .execute();
      expect(entries).toEqual([
        {
          seq: 1,
          outcome: 'accepted',
          postmark_date: jstDay(new Date()),
          ticked_options: ['book_card'],
          data_choice: 'marketing_optout',
        },
        {
          seq: 2,
          outcome: 'invalid',
          postmark_date: jstDay(new Date()),
          ticked_options: ['book_card', 'donation'],
          data_choice: 'none',
        },
        {
          seq: 3,
          outcome: 'accepted',
          postmark_date: yesterday,
          ticked_options: ['donation'],
          data_choice: 'none',
        },
      ]);

      // The follow-up queue lists the invalid card; resolve it by keyboard.
      await page.goto(`${server.baseUrl}/ops/postcards/c/${campaign.slug}/followup`);
      await step(page, '09-followup');
      const noteId = await page.locator('input[name=note]').first().getAttribute('id');
      await tabTo(page, `#${noteId}`);
      await page.keyboard.type('お客様へ案内状を送付');
      await submitWith(page, 'Enter');
      await page.getByText('要確認のはがきはありません。').waitFor();
    },
    TIMEOUT,
  );
});
