import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { afterAll, inject } from 'vitest';
import { configureAudit } from '../../src/audit/audit.settings.js';
import { parseConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/database.js';
import { generateSecrets } from '../../dev/local/environment.js';
import { createDb, createPool } from '../../src/platform/db.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { createLogger } from '../../src/platform/logger.js';
import { createObjectStore } from '../../src/platform/storage/storage.config.js';

/**
 * Random per test run, like the quick start's: no secret is written in the code. The audit key is
 * the run's own (global setup): every file appends to the one shared hash chain.
 */
export const TEST_SECRETS = { ...generateSecrets(), AUDIT_HMAC_KEY: inject('auditHmacKey') };

/** A folder of this test file's own, removed after it (the audit head file lives there). */
export function useScratchDir(prefix = 'owabi-test-data-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A client of the run's Redis (started by the global setup); closed after the file. */
export function useRedis(): Redis {
  const redis = new Redis(inject('redisUrl'));
  afterAll(() => redis.quit().then(() => undefined));
  return redis;
}

/** Real PostgreSQL (started by the global setup) for one test file; closed after it. */
export function useTestDeps(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}): AppDeps {
  const scratch = useScratchDir();
  const config = parseConfig({
    // Many tests fail logins from one address on purpose; the throttle test lowers this again.
    CLIENT_FAILURES_PER_MINUTE: '100000',
    NODE_ENV: 'test',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    LOG_LEVEL: 'silent',
    // Never the checkout's .data: heads exported by a test must not mix with the quick start's.
    AUDIT_HEAD_FILE: path.join(scratch, 'audit-heads.log'),
    // Nor its files: without a DATA_DIR of the test's own, the store's folder is a scratch one.
    ...(env.DATA_DIR ? {} : { STORAGE_DIR: path.join(scratch, 'objects') }),
    ...TEST_SECRETS,
    ...env,
  });
  configureAudit(config);
  const pool = createPool(config.DATABASE_URL, 10);
  const deps: AppDeps = {
    config,
    pool,
    db: createDb(pool),
    logger: createLogger('silent'),
    store: createObjectStore(config),
    now: () => new Date(),
    ...overrides,
  };
  afterAll(async () => {
    await deps.db.destroy();
  });
  return deps;
}

/**
 * The owner's connection (the role migrations run as), for what the service itself may not do:
 * test-only cleanup, or tampering with the audit log on purpose. `url` defaults to the shared
 * database; closed after the file.
 */
export function useOwnerDb(url: () => string = () => inject('ownerDatabaseUrl')): () => Kysely<Database> {
  let db: Kysely<Database> | undefined;
  afterAll(async () => {
    await db?.destroy();
  });
  return () => (db ??= createDb(createPool(url(), 4)));
}
