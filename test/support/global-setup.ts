import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, startLocalRedis, type LocalService } from '../../dev/local/services.js';
import { migrateAndGrant } from '../../src/platform/migrate.js';
import { startPgBouncer } from './pgbouncer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * The service's role (`owabi_app`): what every test's app and worker connect as. In the PgBouncer
     * run (vitest.pgbouncer.config.ts) it goes through PgBouncer in transaction pooling mode.
     */
    databaseUrl: string;
    /** The owner (migrations, test-only cleanup, databases of their own, tampering on purpose). */
    ownerDatabaseUrl: string;
    redisUrl: string;
    /** One audit key for the run: test files share the database, and so its hash chain. */
    auditHmacKey: string;
    /** Set in the PgBouncer run: the database through a pool of one server connection (a probe). */
    pgbouncer: { singleServerUrl: string } | null;
  }
}

/**
 * One real PostgreSQL and one real Redis for the whole run, migrated once, as in production: the
 * owner migrates, the tests connect as the service's role. TEST_DATABASE_URL (with
 * TEST_MIGRATION_DATABASE_URL for its owner, else the same role) points them at another server.
 * With OWABI_TEST_PGBOUNCER=1 the service's connections go through a PgBouncer in transaction pooling
 * mode started here; migrations still go straight to PostgreSQL, as the owner.
 */
export default async function setup(project: TestProject) {
  const services: LocalService[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-test-'));
  chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
  const teardown = async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await startServices(project, root, services);
  } catch (err) {
    await teardown(); // else the servers started so far keep vitest from exiting
    throw err;
  }
  return teardown;
}

async function startServices(project: TestProject, root: string, services: LocalService[]) {
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
  let pgbouncer: ProvidedContext['pgbouncer'] = null;
  if ((project.config.env?.OWABI_TEST_PGBOUNCER ?? process.env.OWABI_TEST_PGBOUNCER) === '1') {
    const bouncer = await startPgBouncer({ dir: path.join(root, 'pgbouncer'), serverUrl: databaseUrl });
    services.push(bouncer);
    databaseUrl = bouncer.url;
    pgbouncer = { singleServerUrl: bouncer.singleServerUrl };
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('pgbouncer', pgbouncer);
  project.provide('ownerDatabaseUrl', ownerDatabaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('auditHmacKey', randomBytes(32).toString('base64url'));
}
