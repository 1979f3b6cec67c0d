import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { TEST_SECRETS } from './context.js';
import { configureAudit } from '../../src/audit/audit.settings.js';
import { parseConfig, type Config } from '../../src/platform/config.js';
import { createDb, createPool } from '../../src/platform/db.js';
import type { AppDeps } from '../../src/platform/deps.js';
import { freePort, startLocalRedis, type LocalService } from '../../dev/local/services.js';
import { createLogger } from '../../src/platform/logger.js';
import { migrateAndGrant } from '../../src/platform/migrate.js';
import { createObjectStore } from '../../src/platform/storage/storage.config.js';

/**
 * A database and a Redis of this test file's own, for tests that run workers: a worker relays and
 * fulfils everything it finds, so it must not see other files' rows, and these tests stop Redis.
 */
export interface Isolated {
  deps: AppDeps;
  config: Config;
  /** The owner's connection URL to this database (migrations, tampering on purpose). */
  ownerUrl: string;
  redisPort: number;
  startRedis(): Promise<void>;
  stopRedis(): Promise<void>;
}

export function useIsolatedServices(env: Record<string, string> = {}): Isolated {
  const name = `owabi_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  // The owner creates, migrates and drops the database; the service's role uses it.
  const adminUrl = inject('ownerDatabaseUrl');
  const inDatabase = (base: string) => {
    const u = new URL(base);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const url = inDatabase(inject('databaseUrl'));
  const ownerUrl = inDatabase(adminUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'owabi-redis-'));
  chmodSync(dir, 0o755);
  let redis: LocalService | undefined;
  const iso = {
    ownerUrl,
    redisPort: 0,
    startRedis: async () => {
      redis = await startLocalRedis({ dataDir: dir, port: iso.redisPort });
    },
    stopRedis: async () => {
      await redis?.stop();
      redis = undefined;
    },
  } as Isolated;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    iso.redisPort = await freePort();
    await iso.startRedis();
    await migrateAndGrant({ DATABASE_URL: url, MIGRATION_DATABASE_URL: ownerUrl });
    iso.config = parseConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      AUDIT_HEAD_FILE: path.join(dir, 'audit-heads.log'),
      REDIS_URL: `redis://127.0.0.1:${iso.redisPort}`,
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      ...TEST_SECRETS,
      ...env,
    });
    const pool = createPool(iso.config.DATABASE_URL, 10);
    iso.deps = {
      config: iso.config,
      pool,
      db: createDb(pool),
      logger: createLogger('silent'),
      store: createObjectStore(iso.config),
      now: () => new Date(),
    };
    configureAudit(iso.config);
  });

  afterAll(async () => {
    await iso.deps?.db.destroy();
    await iso.stopRedis();
    rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return iso;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
