import { afterAll, inject } from 'vitest';
import { parseConfig } from '../../src/platform/config.js';
import { createDb, createPool } from '../../src/platform/db.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { createLogger } from '../../src/platform/logger.js';

/** Real PostgreSQL (started by the global setup) for one test file; closed after it. */
export function useTestDeps(overrides: Partial<AppDeps> = {}): AppDeps {
  const config = parseConfig({
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    LOG_LEVEL: 'silent',
  });
  const pool = createPool(config.DATABASE_URL!, 10);
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
