import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';

// Only in the PgBouncer run (vitest.pgbouncer.config.ts): proof that its tests really go through a
// PgBouncer in transaction pooling mode, where a session outlives no transaction.
const pgbouncer = inject('pgbouncer');

const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  clients.push(client);
  await client.connect();
  return client;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end()));
});

describe.skipIf(!pgbouncer)('the PgBouncer run', () => {
  it("when the tests' database URL is asked, then PgBouncer answers it, pooling by transaction", async () => {
    const admin = await connect(new URL('/pgbouncer', inject('databaseUrl')).toString());
    const { rows } = await admin.query<{ key: string; value: string }>('show config');
    expect(rows.find((r) => r.key === 'pool_mode')?.value).toBe('transaction');
    const database = new URL(inject('databaseUrl')).pathname.slice(1);
    const app = await connect(inject('databaseUrl'));
    await app.query('select 1');
    const { rows: clientsOf } = await admin.query<{ database: string }>('show clients');
    expect(clientsOf.map((c) => c.database)).toContain(database);
  });

  it('when a session-level advisory lock is taken, then another client releases it: they share one session', async () => {
    const key = Math.floor(Math.random() * 2 ** 30);
    const first = await connect(pgbouncer!.singleServerUrl);
    const second = await connect(pgbouncer!.singleServerUrl);
    await first.query('select pg_advisory_lock($1)', [key]);
    // Straight to PostgreSQL the second client has a session of its own, and nothing to unlock.
    const { rows } = await second.query<{ unlocked: boolean }>('select pg_advisory_unlock($1) as unlocked', [
      key,
    ]);
    expect(rows[0]!.unlocked).toBe(true);
  });
});
