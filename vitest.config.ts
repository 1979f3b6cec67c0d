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
    // A worker keeps its modules from one file to the next: importing the app's modules afresh for
    // every file took 288 of the suite's 711 test-seconds on this machine's 2 cores. So no test
    // replaces a module (vi.mock), and one that stubs the environment unstubs it when it ends.
    isolate: false,
  },
});
