import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { createDb, createPool } from '../src/platform/db.js';
import { useTestDeps } from './support/context.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

/**
 * DB_PREPARED_STATEMENTS=true: the statements marked in the customers' hot path are parsed and planned
 * once per connection and then only executed; nothing else is prepared (a connection holds a
 * handful). One connection per pool here, so what it holds can be read back.
 */
const deps = useTestDeps();

function appOnOneConnection(prepared: boolean) {
  const pool = createPool(deps.config.DATABASE_URL, 1, { prepared });
  const db = createDb(pool);
  afterAll(() => db.destroy());
  const held = async () =>
    (
      await sql<{ statement: string; executions: number }>`
        select statement, (generic_plans + custom_plans)::int as executions
          from pg_prepared_statements order by prepare_time`.execute(db)
    ).rows;
  return { app: createApp({ ...deps, pool, db }), held };
}

async function loginAndReadTwice(app: ReturnType<typeof createApp>) {
  const campaign = await buildCampaign(deps);
  const customer = await buildCustomer(deps, campaign);
  const browser = new CustomerBrowser(app, campaign.slug);
  expect((await browser.login(customer.registrationCode, customer.loginKey)).status).toBe(303);
  for (const _ of [1, 2]) expect((await browser.my()).status).toBe(200);
}

describe('prepared statements on the customers’ hot path', () => {
  it('when a customer logs in and reads their page twice with prepared statements on, then the login and the page’s statement are prepared once each and run again under their name, and nothing else is prepared', async () => {
    const { app, held } = appOnOneConnection(true);
    await loginAndReadTwice(app);
    const statements = await held();
    expect(statements.every((s) => s.statement.startsWith('/* prepared */'))).toBe(true);
    const login = statements.filter((s) => s.statement.includes('insert into login_attempts'));
    const page = statements.filter((s) => s.statement.includes('jsonb_array_length(p.household)'));
    expect(login).toHaveLength(1);
    expect(page).toHaveLength(1);
    // Each page reads the status (a GET of the page after the login's redirect, then twice more).
    expect(page[0]!.executions).toBeGreaterThanOrEqual(2);
  });

  it('when prepared statements are off (behind PgBouncer < 1.21 in transaction mode), then the same pages prepare nothing', async () => {
    const { app, held } = appOnOneConnection(false);
    await loginAndReadTwice(app);
    expect(await held()).toEqual([]);
  });
});
