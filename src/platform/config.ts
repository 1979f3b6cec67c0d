import { z } from 'zod';
import { checkStorageConfig, STORAGE_VARIABLES } from './storage/storage.config.js';

/**
 * Every secret must be given: there are no defaults in the code. The quick start, which runs its own
 * PostgreSQL, generates them once and passes them in (`localEnvironment`).
 */
export const SECRET_NAMES = [
  'LOGIN_KEY_PEPPER',
  'SESSION_SECRET',
  'STAFF_SESSION_SECRET',
  'CSRF_SECRET',
  'TOTP_ENCRYPTION_KEY',
  'AUDIT_HMAC_KEY',
  'FILE_ENCRYPTION_KEY',
] as const;

/** Where the service answers on a developer's machine (the quick start's default PORT). */
export const DEFAULT_PUBLIC_BASE_URL = 'http://localhost:3000';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url(),
  /** One Redis node. For a Redis that fails over, REDIS_SENTINELS and REDIS_SENTINEL_MASTER instead. */
  REDIS_URL: z.string().url().optional(),
  /** Sentinels of the Redis master group, `host:port,host:port`: when given, REDIS_URL is not used. */
  REDIS_SENTINELS: z
    .string()
    .transform((list, ctx) => {
      const sentinels = list.split(',').map((item) => /^\s*\[?([^\s\]]+?)\]?:(\d{1,5})\s*$/.exec(item));
      if (sentinels.every(Boolean)) return sentinels.map((m) => ({ host: m![1]!, port: Number(m![2]) }));
      ctx.addIssue({ code: 'custom', message: 'must be host:port[,host:port…]' });
      return z.NEVER;
    })
    .optional(),
  /** The name of the master group the sentinels watch. */
  REDIS_SENTINEL_MASTER: z.string().optional(),
  /** Password of the sentinels themselves, when they ask for one. */
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  /** Password of the Redis nodes (a REDIS_URL's own password wins). */
  REDIS_PASSWORD: z.string().optional(),
  /** Prefix of every Redis key the service writes; a hash tag keeps each queue in one Redis Cluster slot. */
  REDIS_PREFIX: z.string().min(1).default('{owabi}'),
  DATA_DIR: z.string().default('.data'),
  /**
   * Where files live (uploads, letter print files, manifests, reports, exports): a local folder or
   * an S3-compatible bucket shared by every process (storage.config.ts). The file key is a secret,
   * checked with the others below so that every missing one is named at once.
   */
  ...STORAGE_VARIABLES,
  FILE_ENCRYPTION_KEY: STORAGE_VARIABLES.FILE_ENCRYPTION_KEY.optional(),
  /** Pepper for the login-key HMAC. Held outside the database on purpose. */
  LOGIN_KEY_PEPPER: z.string().min(32).optional(),
  /** Signs customer sessions. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Signs staff (console) sessions: a different key, so one cannot stand in for the other. */
  STAFF_SESSION_SECRET: z.string().min(32).optional(),
  CSRF_SECRET: z.string().min(32).optional(),
  /** Encrypts operators' TOTP secrets at rest (AES-256-GCM; a key derived from it). */
  TOTP_ENCRYPTION_KEY: z.string().min(32).optional(),
  /** Keys the audit log's hash chain (HMAC): held outside the database, so a rewrite cannot re-chain. */
  AUDIT_HMAC_KEY: z.string().min(32).optional(),
  /**
   * The table owner's connection, for migrations only. The service itself (DATABASE_URL) connects as a
   * role that may only INSERT and SELECT the audit log. Defaults to DATABASE_URL.
   */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  /** Append-only file outside PostgreSQL to which the audit chain's head is exported on a schedule. */
  AUDIT_HEAD_FILE: z.string().optional(),
  /** Served over HTTPS: cookies get Secure and the __Host- prefix. */
  SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SESSION_MINUTES: z.coerce.number().int().min(1).max(120).default(20),
  /** Seed the demo campaign at start (the quick start turns it on; never in production). */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** When set, logs also go to this file (a copy of stdout: logs carry no personal data). */
  LOG_FILE: z.string().optional(),
  /** E-money vendor API for campaigns whose e-money source is 'vendor'. */
  EMONEY_VENDOR_URL: z.string().url().optional(),
  EMONEY_VENDOR_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Days before the purge deadline at which leftovers raise an alert. */
  PURGE_ALERT_DAYS: z.coerce.number().int().min(1).default(14),
  /** Signed webhook for the suppression list (opt-outs); a file export when unset. */
  SUPPRESSION_WEBHOOK_URL: z.string().url().optional(),
  /** `npm start` also runs a worker process. */
  START_WORKER: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
  /** How long a job stays locked to its worker; a killed worker's job is retried after this. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Prometheus metrics of the web processes (aggregated by the primary); 0 turns it off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** The worker's own metrics; 0 turns it off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  /** Address the metrics ports listen on: 0.0.0.0 lets a Prometheus on another host scrape them. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** How long SIGTERM waits for in-flight requests and jobs before closing them. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Web processes to fork (node:cluster); the service is stateless so any number works. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(63790),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  LOCKOUT_FAILURES: z.coerce.number().int().min(1).default(10),
  LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(30),
  CLIENT_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Trust X-Forwarded-For from this many proxies (0 when exposed directly). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /**
   * The service's public address as customers reach it (scheme, host, optional path; no trailing
   * slash): printed on every letter as its verification QR code. Use the https address in production.
   */
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .default(DEFAULT_PUBLIC_BASE_URL)
    .transform((u) => u.replace(/\/+$/, '')),
});

/** Every variable the service reads (.env.example lists each; a test keeps the two in step). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

const ConfigSchema = EnvSchema.superRefine((env, ctx) => {
  for (const key of SECRET_NAMES) {
    if (!env[key])
      ctx.addIssue({ code: 'custom', path: [key], message: 'is required (32+ random characters)' });
  }
  checkStorageConfig(env, ctx);
  if (!env.REDIS_URL && !env.REDIS_SENTINELS)
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required (or REDIS_SENTINELS)' });
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_MASTER)
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_SENTINEL_MASTER'],
      message: 'is required with REDIS_SENTINELS',
    });
  if (env.NODE_ENV !== 'production') return;
  if (!env.SECURE_COOKIES)
    ctx.addIssue({
      code: 'custom',
      path: ['SECURE_COOKIES'],
      message: 'must be true in production (HTTPS)',
    });
  if (env.SEED_DEMO)
    ctx.addIssue({
      code: 'custom',
      path: ['SEED_DEMO'],
      message: 'the demo campaign is never seeded in production',
    });
  // Printed on every letter: a localhost or plain-HTTP address would send customers nowhere.
  if (!env.PUBLIC_BASE_URL.startsWith('https://'))
    ctx.addIssue({
      code: 'custom',
      path: ['PUBLIC_BASE_URL'],
      message: "must be the service's https address in production (it is printed on every letter)",
    });
}).transform((env) => ({
  ...env,
  LOGIN_KEY_PEPPER: env.LOGIN_KEY_PEPPER!,
  SESSION_SECRET: env.SESSION_SECRET!,
  STAFF_SESSION_SECRET: env.STAFF_SESSION_SECRET!,
  CSRF_SECRET: env.CSRF_SECRET!,
  TOTP_ENCRYPTION_KEY: env.TOTP_ENCRYPTION_KEY!,
  AUDIT_HMAC_KEY: env.AUDIT_HMAC_KEY!,
  FILE_ENCRYPTION_KEY: env.FILE_ENCRYPTION_KEY!,
}));

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

/** What the primary reads before it knows whether to start PostgreSQL and Redis itself. */
const StartupSchema = EnvSchema.pick({
  NODE_ENV: true,
  DATA_DIR: true,
  PG_PORT: true,
  REDIS_PORT: true,
  LOG_LEVEL: true,
  SEED_DEMO: true,
  SHUTDOWN_TIMEOUT_MS: true,
}).extend({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /** Redis through Sentinel instead of one URL: the quick start then starts no redis-server. */
  REDIS_SENTINELS: z.string().optional(),
});
export type StartupConfig = z.infer<typeof StartupSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value names itself. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.freeze(parseWith(ConfigSchema, env));
}

export function parseStartupConfig(env: NodeJS.ProcessEnv = process.env): StartupConfig {
  return parseWith(StartupSchema, env);
}

function parseWith<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // An empty variable (`FOO=` in a .env file or compose) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
