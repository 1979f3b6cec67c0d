import { afterAll, inject } from 'vitest';
import { parseConfig } from '../../src/platform/config.js';
import { generateSecrets } from '../../src/platform/localEnvironment.js';
import { createDb, createPool } from '../../src/platform/db.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { createLogger } from '../../src/platform/logger.js';

/** Random per test run, like the quick start's: no secret is written in the code. */
export const TEST_SECRETS = generateSecrets();

/** Real PostgreSQL (started by the global setup) for one test file; closed after it. */
export function useTestDeps(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}): AppDeps {
  const config = parseConfig({
    // Many tests fail logins from one address on purpose; the throttle test lowers this again.
    CLIENT_FAILURES_PER_MINUTE: '100000',
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    LOG_LEVEL: 'silent',
    ...TEST_SECRETS,
    ...env,
  });
  const pool = createPool(config.DATABASE_URL, 10);
  const deps: AppDeps = {
    config,
    pool,
    db: createDb(pool),
    logger: createLogger('silent'),
    now: () => new Date(),
    ...overrides,
  };
  afterAll(async () => {
    await deps.db.destroy();
  });
  return deps;
}
