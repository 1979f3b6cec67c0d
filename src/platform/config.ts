import { z } from 'zod';

/** Secrets have development defaults only outside production; production must set them. */
const devSecret = (name: string) => `dev-only-${name}-change-me-0123456789abcdef`;

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional(),
    REDIS_URL: z.string().url().optional(),
    DATA_DIR: z.string().default('.data'),
    /** Pepper for the login-key HMAC. Held outside the database on purpose. */
    LOGIN_KEY_PEPPER: z.string().min(32).optional(),
    SESSION_SECRET: z.string().min(32).optional(),
    CSRF_SECRET: z.string().min(32).optional(),
    /** Served over HTTPS: cookies get Secure and the __Host- prefix. */
    SECURE_COOKIES: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    STAFF_SESSION_MINUTES: z.coerce.number().int().min(5).max(720).default(120),
    SESSION_MINUTES: z.coerce.number().int().min(1).max(120).default(20),
    /** Seed the demo campaign at start (defaults to on outside production). */
    SEED_DEMO: z.enum(['true', 'false']).optional(),
    /** When set, logs also go to this file (the purge scans it for leftovers). */
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
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
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
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const key of [
      'LOGIN_KEY_PEPPER',
      'SESSION_SECRET',
      'CSRF_SECRET',
      'DATABASE_URL',
      'REDIS_URL',
    ] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required in production' });
    }
  })
  .transform((env) => ({
    ...env,
    LOGIN_KEY_PEPPER: env.LOGIN_KEY_PEPPER ?? devSecret('pepper'),
    SESSION_SECRET: env.SESSION_SECRET ?? devSecret('session'),
    CSRF_SECRET: env.CSRF_SECRET ?? devSecret('csrf'),
    SEED_DEMO: (env.SEED_DEMO ?? (env.NODE_ENV === 'production' ? 'false' : 'true')) === 'true',
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value names itself. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
