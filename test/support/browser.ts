import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { once } from 'node:events';
import { AxeBuilder } from '@axe-core/playwright';
import type { Express } from 'express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

/**
 * Debian's chromium; the test script installs it on fresh machines. We never download a browser.
 * CHROMIUM_PATH points elsewhere (another build, or a missing path to see what CI would say).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * `describe` for tests that drive Chromium. Without it, a developer's machine skips them with a
 * warning, but CI (CI set) fails: a green run must never hide that the browser tests did not run.
 */
export function describeInChromium(name: string, tests: () => void): void {
  const missing = `Chromium is missing at ${CHROMIUM_PATH} (apt-get install chromium; scripts/test.sh does)`;
  if (hasChromium) describe(name, tests);
  else if (process.env.CI)
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(`${missing}. In CI the browser tests must run, not be skipped.`);
      });
    });
  else {
    console.warn(`Skipped "${name}": ${missing}.`);
    describe.skip(name, tests);
  }
}

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
export const AXE_DIR = path.resolve('test-results/axe');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    args: [
      '--no-sandbox', // we run as root
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A small phone: 375×667 CSS pixels, touch, mobile viewport meta honoured. */
export interface PhoneOptions {
  /** What the browser asks for in Accept-Language (ja-JP by default). */
  locale?: string;
  javaScriptEnabled?: boolean;
}

export function phoneContext(browser: Browser, options: PhoneOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
}

export interface BrowserApp {
  /** Where the app listens (known once the file's beforeAll ran). */
  readonly baseUrl: string;
  /** A new small phone (its own cookies), closed after the file. */
  phone(options?: PhoneOptions): Promise<Page>;
}

/** For a test file: the app on a free port and one Chromium, both stopped after the file. */
export function useBrowserApp(app: Express): BrowserApp {
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await listen(app);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  }, 60_000);
  return {
    get baseUrl() {
      return server!.baseUrl;
    },
    async phone(options) {
      const context = await phoneContext(browser!, options);
      context.setDefaultTimeout(20_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** Listens the app on 127.0.0.1, a free port; `close` ends keep-alive connections too. */
export async function listen(app: Express): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * The steps shown in the README, by the name they get in docs/screenshots. `npm run screenshots`
 * runs the browser tests with README_SCREENSHOTS=1, which writes these again (JPEG, to stay small).
 */
const README_SHOTS: Readonly<Record<string, string>> = {
  'letter-ja-genuine': 'customer-1-letter-check',
  '01-landing': 'customer-2-landing',
  '04-choice': 'customer-3-choice',
  'en-confirm': 'customer-4-confirm-english',
  '07-complete': 'customer-5-complete',
  'change-ja-status': 'customer-6-status-change',
  'change-print': 'customer-7-receipt-print',
  'postcards-02-entry': 'console-1-postcard-entry',
  'ops-walk-ops-contact-lost-letter': 'console-2-lost-letter',
  'ops-walk-ops-fulfilment': 'console-3-fulfilment',
  'ops-walk-ops-reports-x': 'console-4-reports',
  'ops-walk-ops-api-tokens': 'console-5-api-tokens',
};
export const README_SCREENSHOT_DIR = path.resolve('docs/screenshots');

export async function screenshot(page: Page, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${step}.png`), fullPage: true });
  const readmeName = README_SHOTS[step];
  if (readmeName && process.env.README_SCREENSHOTS === '1') {
    mkdirSync(README_SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({
      path: path.join(README_SCREENSHOT_DIR, `${readmeName}.jpg`),
      type: 'jpeg',
      quality: 60,
      scale: 'css',
      fullPage: true,
    });
  }
}

/** Widest element sticking out of the viewport (horizontal scrolling on a phone), or null. */
export function horizontalOverflow(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className) : ''}`,
      );
    return `scrollWidth ${document.documentElement.scrollWidth} > ${width}: ${culprits.slice(0, 5).join(', ')}`;
  });
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe (WCAG 2.x A/AA and best practice) on the page. All findings are written to
 * test-results/axe/<name>.json; the serious and critical ones are returned so the test can fail.
 */
export async function axeSeriousViolations(page: Page, name: string): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const findings: AxeFinding[] = results.violations.map((v) => ({
    page: name,
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
  mkdirSync(AXE_DIR, { recursive: true });
  writeFileSync(
    path.join(AXE_DIR, `${name}.json`),
    JSON.stringify(
      {
        url: page.url(),
        violations: findings,
        incomplete: results.incomplete.map((i) => ({
          id: i.id,
          help: i.help,
          targets: i.nodes.map((n) => n.target.join(' ')),
        })),
        passes: results.passes.length,
      },
      null,
      2,
    ),
  );
  // axe that checked nothing would pass every page: make sure it ran.
  if (results.passes.length === 0) throw new Error(`axe ran no check on ${name}`);
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

/** Describes the focused element the way a test can compare it: id, else tag + accessible text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    if (el.id) return `#${el.id}`;
    return `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim()}`;
  });
}

/** True when the focused element shows a focus indicator (an outline that is not 'none'). */
export function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  });
}

/**
 * Presses Tab (only Tab, as a keyboard user would) until the focused element is `target`
 * (as `focused` reports it). Each stop must show a focus indicator.
 */
export async function tabTo(page: Page, target: string, maxPresses = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(now);
    if (!(await focusIsVisible(page))) throw new Error(`no visible focus indicator on ${now}`);
    if (now === target) return;
  }
  throw new Error(`Tab never reached ${target}; focus went through: ${seen.join(' → ')}`);
}
