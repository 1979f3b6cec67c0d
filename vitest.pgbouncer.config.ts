import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The database tests again, through PgBouncer in transaction pooling mode (as deployed): the global
 * setup starts one in front of the test PostgreSQL and gives the tests its URL. Run by `npm test`
 * after the main run; alone: `npx vitest run -c vitest.pgbouncer.config.ts`.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/pgbouncer.test.ts',
      'test/import.test.ts',
      'test/import-runs.test.ts',
      'test/import-lease.test.ts',
      'test/import-template.test.ts',
      'test/pools.test.ts', // a temporary staging table per upload transaction
      'test/campaign-admin.test.ts', // transaction-scoped advisory locks
      'test/redemption.test.ts',
      'test/fulfilment.test.ts',
      'test/shipping.test.ts',
      'test/erasure.test.ts',
      'test/purge.test.ts',
      'test/postcards.test.ts',
    ],
    env: { ...base.test?.env, OWABI_TEST_PGBOUNCER: '1' },
  },
});
