import type { Express } from 'express';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { timeStep, TOTP_PERIOD_SECONDS } from '../../src/operators/staff-totp.js';
import type { Role } from '../../src/operators/staff.table.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { buildStaff, type TestStaff } from './factories/staff.js';
import { csrfFrom } from './web.js';

// Staff accounts are test data like any other; re-exported for the console tests that sign them in.
export { buildStaff, type TestStaff };

export const totpNow = (secret: string, at = new Date()) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: TOTP_PERIOD_SECONDS }).generate({
    timestamp: at.getTime(),
  });

/** The TOTP steps these helpers have used, per account: the service accepts each step once. */
const usedSteps = new Map<string, number>();

/**
 * A code the service will still accept for this account: the current step's, else the next
 * step's (one step of drift is allowed), else — both used — the helper waits for the clock to
 * move on (a real or running clock only).
 */
export async function freshTotp(staff: TestStaff, clock: () => Date = () => new Date()): Promise<string> {
  const secret = staff.totpSecret;
  if (!secret) throw new Error(`${staff.username} has no second factor`);
  const deadline = Date.now() + (TOTP_PERIOD_SECONDS + 5) * 1000;
  for (;;) {
    const current = timeStep(clock());
    const step = Math.max(current, (usedSteps.get(staff.id) ?? -Infinity) + 1);
    if (step <= current + 1) {
      usedSteps.set(staff.id, step);
      return totpNow(secret, new Date(step * TOTP_PERIOD_SECONDS * 1000));
    }
    if (Date.now() > deadline) throw new Error('the clock does not move: no unused TOTP step left');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** An operator's browser: signs in with both factors, keeps cookies, posts forms with their token. */
export class OpsBrowser {
  readonly agent: TestAgent;
  /** `clock`: the service's clock (deps.now), for the TOTP codes. */
  constructor(
    app: Express,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.agent = supertest.agent(app);
  }

  async token(path = '/ops/login'): Promise<string> {
    return csrfFrom((await this.agent.get(path)).text);
  }

  /** The password step only: the session is half signed in (or the answer is a refusal). */
  async password(username: string, password: string) {
    const _csrf = await this.token('/ops/login');
    return this.agent.post('/ops/login').type('form').send({ _csrf, username, password });
  }

  /** The second step with any code (a TOTP code or a recovery code). */
  async secondFactor(code: string) {
    const _csrf = await this.token('/ops/login/totp');
    return this.agent.post('/ops/login/totp').type('form').send({ _csrf, code });
  }

  async signIn(staff: TestStaff) {
    const res = await this.password(staff.username, staff.password);
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    if (staff.totpSecret) {
      const r2 = await this.secondFactor(await freshTotp(staff, this.clock));
      if (r2.status !== 303 || r2.headers.location !== '/ops')
        throw new Error(`second factor failed: ${r2.status}`);
    }
    return this;
  }

  get(path: string) {
    return this.agent.get(path);
  }

  /** Posts a form with a CSRF token taken from `from` (default: the console's home page). */
  async post(path: string, form: Record<string, string> = {}, from = '/ops') {
    const _csrf = await this.token(from);
    return this.agent
      .post(path)
      .type('form')
      .send({ _csrf, ...form });
  }
}

export interface SignedIn {
  staff: TestStaff;
  ops: OpsBrowser;
}

/**
 * Console sessions of new staff accounts on `app`, one per call: `const { supervisor } =
 * staffSessions(app, deps)`, then `const { staff, ops } = await supervisor()`. Their second factor
 * comes from the service's clock (deps.now).
 */
export function staffSessions(app: Express, deps: Pick<AppDeps, 'db' | 'now' | 'config'>) {
  const signedIn = async (role: Role): Promise<SignedIn> => {
    const staff = await buildStaff(deps, role);
    return { staff, ops: await new OpsBrowser(app, deps.now).signIn(staff) };
  };
  return {
    signedIn,
    admin: () => signedIn('admin'),
    supervisor: () => signedIn('supervisor'),
    clerk: () => signedIn('clerk'),
    auditor: () => signedIn('auditor'),
  };
}

/** Signs a Playwright page in (password, then the TOTP code), as a person with the keyboard would. */
export async function signInPage(page: Page, baseUrl: string, staff: TestStaff, clock?: () => Date) {
  await page.goto(`${baseUrl}/ops/login`);
  await page.fill('#username', staff.username);
  await page.fill('#password', staff.password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.fill('#code', await freshTotp(staff, clock));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** The enrolment link (path and query) shown on an administrator's page. */
export function enrolmentLinkIn(html: string): string {
  const link = /\/ops\/enrol\?t=[A-Za-z0-9_-]{43}/.exec(html)?.[0];
  if (!link) throw new Error('no enrolment link in page');
  return link;
}

/**
 * Opens an enrolment link in `ops` and submits its form with `fields(secret)`, `secret` being the
 * TOTP key the page shows (null when the account keeps its own). Returns the answer and the key.
 */
export async function submitEnrolment(
  ops: OpsBrowser,
  link: string,
  fields: (secret: string | null) => Record<string, string> | Promise<Record<string, string>>,
) {
  const page = await ops.get(link);
  if (page.status !== 200) throw new Error(`enrolment page: ${page.status}`);
  const secret = /<code class="secret" translate="no">([A-Z2-7]+)<\/code>/.exec(page.text)?.[1] ?? null;
  const t = /name="t" value="([^"]+)"/.exec(page.text)![1]!;
  const res = await ops.agent
    .post('/ops/enrol')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), t, ...(await fields(secret)) });
  return { res, secret };
}

/** The recovery codes an enrolment shows, once. */
export const recoveryCodesIn = (html: string) =>
  [...html.matchAll(/<li><code class="secret">([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code><\/li>/g)].map(
    (m) => m[1]!,
  );
