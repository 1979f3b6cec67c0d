import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Files run in parallel against one PostgreSQL and one Redis; each test owns its rows.
    pool: 'forks',
    maxWorkers: 2,
  },
});
