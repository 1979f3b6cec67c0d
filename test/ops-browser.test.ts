import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeQueues, createQueues } from '../src/platform/queue-connections.js';
import { bookDonation } from '../src/fulfilment/donation.service.js';
import { cutForCampaign } from '../src/fulfilment/fulfilment-admin.service.js';
import { createApp } from '../src/app/create-app.js';
import { CHROMIUM_PATH, describeInChromium, launchChromium, listen, screenshot } from './support/browser.js';
import {
  buildAlert,
  buildBookCardRedemption,
  buildCampaign,
  buildDonationRedemption,
  buildEmoneyPool,
} from './support/factories.js';
import { useIsolatedServices } from './support/isolated.js';
import { buildStaff, totpNow, type TestStaff } from './support/ops.js';
import { consoleTextFindings, visibleConsoleText } from './support/ops-text.js';

const TIMEOUT = 180_000;

/** Where the walk goes: GET pages below /ops, never a download, a sign-out or an action. */
const walkable = (href: string) =>
  href.startsWith('/ops') && !/\.csv$|\/manifest$|\/logout$|\/ship$/.test(href.split('?')[0]!);

describeInChromium(`the operators' console in a real browser (${CHROMIUM_PATH})`, () => {
  // A database and Redis of our own: the pages show only what this file made.
  const iso = useIsolatedServices();
  let services: ReturnType<typeof createQueues>;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let admin: TestStaff;

  beforeAll(async () => {
    const deps = iso.deps;
    admin = await buildStaff(deps, 'admin');
    // People's names are data (marked translate="no" where the console shows them); a Japanese one here.
    await deps.db
      .updateTable('staff')
      .set({ display_name: '試験 管理者' })
      .where('id', '=', admin.id)
      .execute();
    // Something on every page: shipping, donations, a pool, and an open alert of every kind.
    const campaign = await buildCampaign(deps);
    await buildEmoneyPool(deps, campaign, 3);
    for (let i = 0; i < 2; i++) await buildBookCardRedemption(deps, campaign);
    await cutForCampaign(deps, admin.id, campaign.id);
    await buildBookCardRedemption(deps, campaign);
    const donation = await buildDonationRedemption(deps, campaign);
    await bookDonation(
      deps.db,
      { id: donation.id, campaignId: campaign.id, amountYen: 500 },
      '日本赤十字社',
      new Date(),
    );
    for (const kind of ['low_stock', 'unshipped_book_cards', 'purge_failed', 'unbooked_donations'])
      await buildAlert(deps, campaign, kind, '期限までに処理してください。');
    services = createQueues(iso.config);
    server = await listen(createApp(deps, { queues: services.queues }));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (services) await closeQueues(services.queues, services.connection);
  }, 60_000);

  async function signIn(page: Page) {
    await page.goto(`${server.baseUrl}/ops/login`);
    await page.fill('#username', admin.username);
    await page.fill('#password', admin.password);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.fill('#code', totpNow(admin.totpSecret!));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe('/ops');
  }

  const linksOf = (page: Page, selector: string) =>
    page.$$eval(selector, (as) => as.map((a) => a.getAttribute('href') ?? '').filter(Boolean));

  it(
    'when an administrator walks every page of the console menu and the pages they link to, then none fails and the screen shows Japanese only',
    async () => {
      context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'ja-JP',
        timezoneId: 'Asia/Tokyo',
      });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const failedRequests: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failedRequests.push(`${r.status()} ${new URL(r.url()).pathname}`);
      });
      await signIn(page);

      const menu = await linksOf(page, 'nav[aria-label="業務メニュー"] a');
      expect(menu).toHaveLength(9);
      const seen = new Set<string>(['/ops']);
      const queue: { href: string; depth: number }[] = [{ href: '/ops', depth: 0 }];
      for (const href of menu) queue.push({ href, depth: 1 });
      const problems: string[] = [];
      while (queue.length > 0) {
        const { href, depth } = queue.shift()!;
        if (depth > 0 && seen.has(href)) continue;
        seen.add(href);
        const res = await page.goto(`${server.baseUrl}${href}`);
        const status = res?.status() ?? 0;
        if (status >= 400) problems.push(`${href}: HTTP ${status}`);
        for (const f of consoleTextFindings(await visibleConsoleText(page))) problems.push(`${href}: ${f}`);
        // Named by path, ids and slugs left out, so that a run overwrites the last one's pictures.
        await screenshot(
          page,
          `ops-walk${href.replace(/\/(\d+|t-[0-9a-f-]+)(?=\/|$)/g, '/x').replace(/[^a-z]+/gi, '-')}`,
        );
        // From each section's main page, one step further: its tabs, lists and detail pages.
        if (depth === 1)
          for (const next of await linksOf(page, '#main a[href^="/ops"]:not([download])'))
            if (walkable(next) && !seen.has(next)) queue.push({ href: next, depth: 2 });
      }
      // A page that is not there: the console's own error page, with its menu and a way back.
      const missing = await page.goto(`${server.baseUrl}/ops/fulfilment/no-such-page`);
      expect(missing?.status()).toBe(404);
      expect(await linksOf(page, 'nav[aria-label="業務メニュー"] a')).toEqual(menu);
      await page.getByRole('link', { name: '「発送・寄付」の最初の画面へ戻る' }).click();
      expect(new URL(page.url()).pathname).toBe('/ops/fulfilment');
      await page.goBack();
      expect(consoleTextFindings(await visibleConsoleText(page))).toEqual([]);
      await screenshot(page, 'ops-walk-error-404');

      expect(seen.size).toBeGreaterThan(15);
      // The page left on purpose (loaded again by going back: pages are never cached) and nothing else.
      expect({ problems, failedRequests: [...new Set(failedRequests)] }).toEqual({
        problems: [],
        failedRequests: ['404 /ops/fulfilment/no-such-page'],
      });
    },
    TIMEOUT,
  );
});
