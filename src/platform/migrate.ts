import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { ConfigError, type Config } from './config.js';
import { createDb, createPool } from './db.js';
import type { Logger } from './logger.js';
import { errorKind, UserFacingError } from './safe-errors.js';
import { appliedMigrations, currentRole, grantServiceRole, rolePosture } from './roles.repo.js';

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new UserFacingError(`migration ${failed?.migrationName ?? ''} failed (${errorKind(error)})`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => r.migrationName);
}

type Urls = Pick<Config, 'DATABASE_URL' | 'MIGRATION_DATABASE_URL'>;
type Warn = Pick<Logger, 'warn'>;

export const SINGLE_ROLE_WARNING =
  'the service connects as the role that owns the tables (no separate MIGRATION_DATABASE_URL role): ' +
  'it could disable the audit log trigger, so the audit trail is only as safe as that role';

async function withDb<T>(url: string, fn: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
  const db = createDb(createPool(url, 1)) as unknown as Kysely<unknown>;
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/**
 * Migrates as the owner (MIGRATION_DATABASE_URL, or DATABASE_URL when unset), then grants the
 * service's role (DATABASE_URL) what it needs. One role for both still works, with a warning.
 */
export async function migrateAndGrant(
  urls: Urls,
  log?: Warn,
): Promise<{ applied: string[]; singleRole: boolean }> {
  const ownerUrl = urls.MIGRATION_DATABASE_URL ?? urls.DATABASE_URL;
  const serviceRole =
    ownerUrl === urls.DATABASE_URL ? undefined : await withDb(urls.DATABASE_URL, (db) => currentRole(db));
  const { applied, owner } = await withDb(ownerUrl, async (db) => {
    const applied = await migrateToLatest(db);
    const owner = await currentRole(db);
    if (serviceRole && serviceRole !== owner) await grantServiceRole(db, serviceRole);
    return { applied, owner };
  });
  const singleRole = !serviceRole || serviceRole === owner;
  if (singleRole) log?.warn({ role: owner }, SINGLE_ROLE_WARNING);
  else await warnIfServiceCanRewrite(urls.DATABASE_URL, log);
  return { applied, singleRole };
}

async function warnIfServiceCanRewrite(url: string, log?: Warn): Promise<void> {
  const posture = await withDb(url, (db) => rolePosture(db));
  if (posture.canRewriteAudit)
    log?.warn(
      { role: posture.role },
      'the service role may alter the audit log (a superuser or its owner): the audit trail is only as safe as that role',
    );
}

/**
 * At start: with MIGRATION_DATABASE_URL, migrate and grant. Without it, a service role that may
 * create tables is a single-role deployment and migrates itself (with the warning); a restricted
 * role cannot, so it only checks that someone has (`npm run migrate:prod` with the owner's URL).
 */
export async function prepareSchema(urls: Urls, log?: Warn): Promise<string[]> {
  if (urls.MIGRATION_DATABASE_URL) return (await migrateAndGrant(urls, log)).applied;
  const posture = await withDb(urls.DATABASE_URL, (db) => rolePosture(db));
  if (posture.canMigrate) return (await migrateAndGrant(urls, log)).applied;
  const applied = new Set(await withDb(urls.DATABASE_URL, (db) => appliedMigrations(db)));
  const pending = Object.keys(migrations).filter((name) => !applied.has(name));
  if (pending.length) {
    throw new ConfigError(
      `Invalid configuration:\n  MIGRATION_DATABASE_URL: migrations are pending (${pending.join(', ')}) and ` +
        `the service's role ${posture.role} may not apply them: set MIGRATION_DATABASE_URL to the owner's ` +
        'connection, or run `npm run migrate:prod` with it first.',
    );
  }
  return [];
}
