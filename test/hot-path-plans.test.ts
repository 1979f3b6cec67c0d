import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { createDb, createPool } from '../src/platform/db.js';
import { useIsolatedServices } from './support/isolated.js';
import { buildCampaign, buildCustomer } from './support/factories.js';
import { CustomerBrowser } from './support/web.js';

/**
 * The customers' login and status statements are server-side functions (migration 2026_12_01_021):
 * PostgreSQL keeps their plans on the server connection, so a page executes a plan instead of
 * planning the statement again, and the client prepares nothing (PgBouncer in transaction mode
 * carries no client-side prepared statement). One connection per pool here, so what the server
 * connection holds can be read back from its memory contexts; as the owner, because reading them
 * needs pg_read_all_stats, which the service role rightly lacks. In a database of this file's own:
 * a partition made in the shared database (other files create campaigns all along) drops the kept
 * plans of statements on its parent, and PostgreSQL then plans each anew for five calls before it
 * keeps a generic plan again, so a test there could read 40 pages without seeing one kept (CI).
 */
const iso = useIsolatedServices();

function appOnOneConnection() {
  const deps = iso.deps;
  const pool = createPool(iso.ownerUrl, 1);
  const db = createDb(pool);
  afterAll(() => db.destroy());
  const plansHeld = async () =>
    (
      await sql<{ kind: string; statement: string }>`
        select name as kind, ident as statement from pg_backend_memory_contexts
         where name in ('CachedPlanSource', 'CachedPlan')`.execute(db)
    ).rows;
  const preparedByClient = async () =>
    (await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db)).rows;
  return { app: createApp({ ...deps, pool, db }), plansHeld, preparedByClient };
}

describe('plans of the customers’ hot statements', () => {
  it('when a customer logs in and reads their page on one connection, then the connection keeps one parsed login statement, one status statement with its reusable plan, and the client prepared nothing', async () => {
    const { app, plansHeld, preparedByClient } = appOnOneConnection();
    const campaign = await buildCampaign(iso.deps);
    const customer = await buildCustomer(iso.deps, campaign);
    const browser = new CustomerBrowser(app, campaign.slug);
    expect((await browser.login(customer.registrationCode, customer.loginKey)).status).toBe(303);
    for (let i = 0; i < 8; i++) expect((await browser.my()).status).toBe(200);

    const statusPlans = async () =>
      (await plansHeld()).filter((p) => p.statement.includes('jsonb_array_length(p.household)'));
    // Read on until the plan is kept (it never is when the statement is planned on each call).
    let status = await statusPlans();
    let reads = 8;
    for (; reads < 40 && status.length < 2; reads++) {
      expect((await browser.my()).status).toBe(200);
      status = await statusPlans();
    }
    // The status statement: parsed once, and one plan kept for every call.
    expect(status.map((p) => p.kind).sort(), `after ${reads} reads`).toEqual([
      'CachedPlan',
      'CachedPlanSource',
    ]);
    // (The text shown is cut at 1 kB: the login's is known by its start.)
    const login = (await plansHeld()).filter((p) =>
      p.statement.includes('sha256(login_key_hash || p_nonce)'),
    );
    const held = (await plansHeld()).map((p) => `${p.kind}: ${p.statement.slice(0, 60)}`);
    expect(
      login.filter((p) => p.kind === 'CachedPlanSource'),
      held.join('\n'),
    ).toHaveLength(1);
    expect(await preparedByClient()).toEqual([]);
  });
});
