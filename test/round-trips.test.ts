import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { createDb, createPool } from '../src/platform/db.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer, buildEmoneyPool } from './support/factories.js';
import { CustomerBrowser, csrfFrom } from './support/web.js';

/**
 * Issue 13: the customer's redemption path costs few round trips to PostgreSQL. The app runs on a
 * pool of its own whose connections note every statement they send; each page is then counted.
 * Login is one statement: it judges the attempt against the client's and the code's throttle rows
 * (locked by an upsert, so racing guesses count each other: test/security/customer-throttle.test.ts),
 * records it and opens the session. Complete reads the status (with the session's check),
 * then one transaction of at most four statements between BEGIN and COMMIT.
 */
const deps = useTestDeps();
const seen: string[] = [];
const counted = createPool(deps.config.DATABASE_URL, 4);
counted.on('connect', (client: pg.PoolClient) => {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: typeof query }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
    seen.push(text.replace(/\s+/g, ' ').trim());
    return query(...args);
  };
});
const countedDb = createDb(counted);
afterAll(() => countedDb.destroy());
const app = createApp({ ...deps, pool: counted, db: countedDb });

/** The statements one request sent. */
async function statementsOf<T>(request: () => PromiseLike<T>): Promise<{ res: T; statements: string[] }> {
  seen.length = 0;
  const res = await request();
  return { res, statements: [...seen] };
}

const isTx = (s: string) => /^(begin|commit)$/i.test(s);

async function walk(choice: Record<string, string>) {
  const campaign = await buildCampaign(deps);
  await buildEmoneyPool(deps, campaign, 3);
  const customer = await buildCustomer(deps, campaign);
  const browser = new CustomerBrowser(app, campaign.slug);
  const slug = campaign.slug;
  await browser.agent.get(`/c/${slug}`); // the campaign cache is filled once, not per page
  const loginPage = await statementsOf(() => browser.agent.get(`/c/${slug}/login`));
  const login = await statementsOf(() =>
    browser.agent
      .post(`/c/${slug}/login`)
      .type('form')
      .send({
        _csrf: csrfFrom(loginPage.res.text),
        registrationCode: customer.registrationCode,
        loginKey: customer.loginKey,
      }),
  );
  expect(login.res.status).toBe(303);
  const my = await statementsOf(() => browser.my());
  const form = { _csrf: csrfFrom(my.res.text), ...choice };
  const confirm = await statementsOf(() =>
    browser.agent.post(`/c/${slug}/my/confirm`).type('form').send(form),
  );
  expect(confirm.res.status).toBe(200);
  const complete = await statementsOf(() =>
    browser.agent
      .post(`/c/${slug}/my/complete`)
      .type('form')
      .send({ ...form, _csrf: csrfFrom(confirm.res.text), action: 'complete' }),
  );
  expect(complete.res.status).toBe(303);
  const done = await statementsOf(() => browser.agent.get(`/c/${slug}/my?done=1`));
  expect(done.res.text).toContain('お手続きが完了しました');
  return { loginPage, login, my, confirm, complete, done };
}

describe('round trips to PostgreSQL per customer page (issue 13)', () => {
  it.each([
    [{ option: 'emoney', brand: 'edy', dataChoice: 'marketing_optout' }],
    [
      {
        option: 'book_card',
        addressAction: 'correct',
        postalCode: '530-0001',
        address: '大阪府大阪市北区梅田1-2-3',
        dataChoice: 'marketing_optout',
      },
    ],
    [{ option: 'donation', dataChoice: 'none' }],
  ])('when a customer redeems %o, then each page stays within its statements', async (choice) => {
    const pages = await walk(choice);
    expect(pages.loginPage.statements).toEqual([]);
    // Judge the attempt, record it and open the session (one function: migration 2026_12_01_021).
    expect(pages.login.statements).toHaveLength(1);
    expect(pages.login.statements[0]).toMatch(/from judge_login_attempt\(/);
    // One statement: the status and the session's check together.
    for (const page of [pages.my, pages.confirm, pages.done]) {
      expect(page.statements).toHaveLength(1);
      expect(page.statements[0]).toMatch(/from customer_status\(/);
    }
    const [status, begin, ...rest] = pages.complete.statements;
    expect(status).toMatch(/from customer_status\(/);
    expect(begin).toMatch(/^begin$/i);
    expect(rest.at(-1)).toMatch(/^commit$/i);
    const inTransaction = rest.slice(0, -1);
    expect(inTransaction.some(isTx)).toBe(false);
    expect(inTransaction.length).toBeGreaterThanOrEqual(1);
    expect(inTransaction.length).toBeLessThanOrEqual(4);
  });

  it('when a wrong key is tried, then the login still costs one statement and opens no session', async () => {
    const campaign = await buildCampaign(deps);
    const customer = await buildCustomer(deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    await browser.agent.get(`/c/${campaign.slug}`);
    const _csrf = await browser.token(`/c/${campaign.slug}/login`);
    const login = await statementsOf(() =>
      browser.agent
        .post(`/c/${campaign.slug}/login`)
        .type('form')
        .send({ _csrf, registrationCode: customer.registrationCode, loginKey: 'AAAA-AAAA-AAAA' }),
    );
    expect(login.res.status).toBe(401);
    expect(login.statements).toHaveLength(1);
    const sessions = await deps.db
      .selectFrom('customer_sessions' as never)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('customer_id' as never, '=', customer.id as never)
      .executeTakeFirstOrThrow();
    expect(Number(sessions.n)).toBe(0);
  });
});
