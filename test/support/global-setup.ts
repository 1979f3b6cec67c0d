import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, startLocalRedis, type LocalService } from '../../dev/local/services.js';
import { migrateAndGrant } from '../../src/platform/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The service's role (`owabi_app`): what every test's app and worker connect as. */
    databaseUrl: string;
    /** The owner (migrations, test-only cleanup, databases of their own, tampering on purpose). */
    ownerDatabaseUrl: string;
    redisUrl: string;
    /** One audit key for the run: test files share the database, and so its hash chain. */
    auditHmacKey: string;
  }
}

/**
 * One real PostgreSQL and one real Redis for the whole run, migrated once, as in production: the
 * owner migrates, the tests connect as the service's role. TEST_DATABASE_URL (with
 * TEST_MIGRATION_DATABASE_URL for its owner, else the same role) points them at another server.
 */
export default async function setup(project: TestProject) {
  const services: LocalService[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-test-'));
  chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let ownerDatabaseUrl = process.env.TEST_MIGRATION_DATABASE_URL ?? databaseUrl;
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !ownerDatabaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), ephemeral: true });
    services.push(pg);
    databaseUrl = pg.appUrl;
    ownerDatabaseUrl = pg.url;
  }
  if (!redisUrl) {
    const redis = await startLocalRedis({ dataDir: path.join(root, 'redis'), ephemeral: true });
    services.push(redis);
    redisUrl = redis.url;
  }
  await migrateAndGrant({ DATABASE_URL: databaseUrl, MIGRATION_DATABASE_URL: ownerDatabaseUrl });
  project.provide('databaseUrl', databaseUrl);
  project.provide('ownerDatabaseUrl', ownerDatabaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('auditHmacKey', randomBytes(32).toString('base64url'));
  return async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
}
