import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createApp } from '../src/app/create-app.js';
import { NOTICE_PAGE } from '../src/postcards/postcard.messages.js';
import { jstDay } from '../src/postcards/postcard.rules.js';
import {
  axeSeriousViolations,
  CHROMIUM_PATH,
  describeInChromium,
  horizontalOverflow,
  launchChromium,
  listen,
  screenshot,
} from './support/browser.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, redeem } from './support/factories.js';
import { buildStaff, OpsBrowser, signInPage } from './support/ops.js';

describeInChromium(`the notice queue in a real browser (${CHROMIUM_PATH})`, () => {
  const deps = useTestDeps();
  const app = createApp(deps);
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await listen(app);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('when late and duplicate cards wait for their notice, then the follow-up page lists them accessibly and "対応済みにする" takes one off', async () => {
    const daysAgo = (n: number) => jstDay(new Date(Date.now() - n * 86400_000));
    const campaign = await buildCampaign(deps, {
      deadline: daysAgo(3),
      purgeDeadline: jstDay(new Date(Date.now() + 90 * 86400_000)),
    });
    const late = await buildCustomer(deps, campaign);
    const twice = await buildCustomer(deps, campaign);
    const beforeDeadline = new Date(Date.now() - 5 * 86400_000);
    await redeem({ db: deps.db, now: () => beforeDeadline }, campaign, twice.id, {
      option: 'donation',
      dataChoice: 'none',
    });
    const clerk = await buildStaff(deps, 'clerk');
    const ops = await new OpsBrowser(app).signIn(clerk);
    const opened = await ops.post(
      `/ops/postcards/c/${campaign.slug}/batches`,
      { label: 'トレイ', physicalCount: '2' },
      `/ops/postcards/c/${campaign.slug}`,
    );
    const batch = opened.headers.location!;
    for (const [seq, code] of [late.registrationCode, twice.registrationCode].entries())
      expect(
        (
          await ops.post(
            `${batch}/entries`,
            { code, seq: String(seq + 1), keying: '1', donation: '1', postmarkDate: daysAgo(1) },
            batch,
          )
        ).status,
      ).toBe(303);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    try {
      const page = await context.newPage();
      await signInPage(page, server.baseUrl, clerk);
      await page.goto(`${server.baseUrl}/ops/postcards/c/${campaign.slug}/followup#notices`);
      await expect(
        page.getByRole('table', { name: NOTICE_PAGE.caption }).locator('tbody tr').count(),
      ).resolves.toBe(2);
      await screenshot(page, 'postcards-notices');
      expect(await axeSeriousViolations(page, 'postcards-notices')).toEqual([]);
      expect(await horizontalOverflow(page)).toBeNull();

      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: NOTICE_PAGE.markDone }).first().click(),
      ]);
      await expect(
        page.getByRole('table', { name: NOTICE_PAGE.caption }).locator('tbody tr').count(),
      ).resolves.toBe(1);
    } finally {
      await context.close();
    }
  }, 90_000);
});
