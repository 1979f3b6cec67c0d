import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, SECRET_NAMES, type StartupConfig } from '../../src/platform/config.js';
import type { LocalService } from './ports.js';

/**
 * The quick start's own secrets: generated randomly the first time it runs its own PostgreSQL and
 * kept in the data folder, owner-only. They exist only for a local demo: with an external
 * DATABASE_URL every secret must come from the environment.
 */
export type LocalSecrets = Record<(typeof SECRET_NAMES)[number] | 'PG_PASSWORD' | 'PG_APP_PASSWORD', string>;

/** The local cluster's passwords: its owner (`owabi`, migrations) and the service's role (`owabi_app`). */
const PG_PASSWORDS = ['PG_PASSWORD', 'PG_APP_PASSWORD'] as const;

const FILE = 'local-secrets.json';

export function localSecretsPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), FILE);
}

/** The data folder, created owner-only: it holds letters with login keys and uploads. */
export function ensurePrivateDataDir(dataDir: string): string {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** Fresh random secrets (the quick start's first run, and throwaway test or benchmark services). */
export function generateSecrets(): Record<(typeof SECRET_NAMES)[number], string> {
  return Object.fromEntries(
    SECRET_NAMES.map((name) => [name, randomBytes(32).toString('base64url')]),
  ) as Record<(typeof SECRET_NAMES)[number], string>;
}

export function readLocalSecrets(dataDir: string): LocalSecrets | undefined {
  const file = localSecretsPath(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
}

/**
 * The quick start's secrets, generated once. A file from an older release lacks the newer ones
 * (the audit key, the service role's password): they are added, the others kept.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const existing = readLocalSecrets(dataDir);
  const missing = [...SECRET_NAMES, ...PG_PASSWORDS].filter((name) => !existing?.[name]);
  if (existing && missing.length === 0) return existing;
  ensurePrivateDataDir(dataDir);
  const fresh = { ...generateSecrets(), PG_PASSWORD: random(), PG_APP_PASSWORD: random() };
  const secrets = { ...fresh, ...existing } as LocalSecrets;
  const file = localSecretsPath(dataDir);
  if (existing) {
    writeFileSync(`${file}.tmp`, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } else {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  return secrets;
}

const random = () => randomBytes(32).toString('base64url');

/** The service's role: it may not alter the tables nor change audit entries (see roles.repo.ts). */
export const APP_ROLE = 'owabi_app';

/** A local cluster: `url` connects as the owner (`owabi`: migrations), `appUrl` as the service's role. */
export interface LocalPostgres extends LocalService {
  appUrl: string;
}

export const localDatabaseUrl = (password: string, port: number, user = 'owabi') =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/owabi`;
export const localRedisUrl = (port: number) => `redis://127.0.0.1:${port}`;

/**
 * For command-line tools: without DATABASE_URL, the PostgreSQL and Redis that `npm start` runs,
 * with its secrets. Returns the variables to add to the environment before `parseConfig`.
 */
export function cliEnvironment(startup: StartupConfig): Record<string, string> {
  if (startup.DATABASE_URL) return {};
  const secrets = readLocalSecrets(startup.DATA_DIR);
  if (!secrets) {
    throw new ConfigError(
      'DATABASE_URL is not set and no quick start has run here: run `npm start` first, or set DATABASE_URL ' +
        'and the secrets (see .env.example).',
    );
  }
  const { PG_PASSWORD, PG_APP_PASSWORD, ...rest } = secrets;
  if (!PG_APP_PASSWORD || !rest.AUDIT_HMAC_KEY) {
    throw new ConfigError(
      'The quick start here was set up by an older release: run `npm start` once (it adds the service role and the audit key), then try again.',
    );
  }
  return {
    ...rest,
    // The tools act as the service does; only migrations use the owner.
    DATABASE_URL: localDatabaseUrl(PG_APP_PASSWORD, startup.PG_PORT, APP_ROLE),
    MIGRATION_DATABASE_URL: localDatabaseUrl(PG_PASSWORD, startup.PG_PORT),
    ...(startup.REDIS_URL ? {} : { REDIS_URL: localRedisUrl(startup.REDIS_PORT) }),
  };
}
