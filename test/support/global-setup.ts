import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb, createPool } from '../../src/platform/db.js';
import {
  startEmbeddedPostgres,
  startLocalRedis,
  type LocalService,
} from '../../src/platform/localServices.js';
import { migrateToLatest } from '../../src/platform/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

/** One real PostgreSQL and one real Redis for the whole run, migrated once. */
export default async function setup(project: TestProject) {
  const services: LocalService[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-test-'));
  chmodSync(root, 0o755); // PostgreSQL runs as its own user when we are root
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), ephemeral: true });
    services.push(pg);
    databaseUrl = pg.url;
  }
  if (!redisUrl) {
    const redis = await startLocalRedis({ dataDir: path.join(root, 'redis'), ephemeral: true });
    services.push(redis);
    redisUrl = redis.url;
  }
  const pool = createPool(databaseUrl, 2);
  const db = createDb(pool);
  await migrateToLatest(db as never);
  await db.destroy();
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
}
