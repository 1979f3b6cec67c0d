import path from 'node:path';
import { configureAudit } from '../src/audit/audit.settings.js';
import { startPrimary } from '../src/app/start.js';
import { formatForPrint } from '../src/customers/codes.js';
import { parseStartupConfig, type Config, type StartupConfig } from '../src/platform/config.js';
import { createDb, createPool } from '../src/platform/db.js';
import { failAndExit, parsedOrExit } from '../src/platform/lifecycle.js';
import { createLogger, type Logger } from '../src/platform/logger.js';
import { createObjectStore } from '../src/platform/storage/storage.config.js';
import { ConfigError } from '../src/platform/config.js';
import { DEMO_SLUG, firstDemoLetter, seedDemoOnce } from './demo/seed.js';
import { ensurePrivateDataDir, loadOrCreateLocalSecrets } from './local/environment.js';
import type { LocalService } from './local/ports.js';
import { startEmbeddedPostgres } from './local/postgres.js';
import { startLocalRedis } from './local/services.js';

/**
 * `npm start`: the quick start. Without DATABASE_URL / REDIS_URL it runs its own PostgreSQL and
 * redis-server with secrets generated once into DATA_DIR, seeds the demo campaign, then runs the same
 * primary as production. Nothing here ships in the production build.
 */
const startup = parsedOrExit(parseStartupConfig);
const log = createLogger(startup.LOG_LEVEL).child({ role: 'quick-start' });
const local: LocalService[] = [];
const stopLocal = async () => {
  for (const s of local.reverse()) await s.stop().catch(() => undefined);
};

try {
  Object.assign(process.env, await startLocalServices(startup));
} catch (err) {
  await stopLocal();
  failAndExit('Owabi could not start', err);
}
await startPrimary({ afterMigrate: seedDemo, announce: announceDemo, stop: stopLocal });

async function startLocalServices(startup: StartupConfig): Promise<Record<string, string>> {
  const added: Record<string, string> = {};
  const redisGiven = Boolean(startup.REDIS_URL || startup.REDIS_SENTINELS);
  if (startup.NODE_ENV === 'production' && (!startup.DATABASE_URL || !redisGiven)) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL and REDIS_URL (or REDIS_SENTINELS) are required in production ' +
        '(only the local quick start runs its own PostgreSQL and Redis).',
    );
  }
  const dataDir = ensurePrivateDataDir(startup.DATA_DIR);
  if (!startup.DATABASE_URL) {
    const { PG_PASSWORD, PG_APP_PASSWORD, ...secrets } = loadOrCreateLocalSecrets(dataDir);
    log.info('no DATABASE_URL: starting a local PostgreSQL for the quick start');
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'pg'),
      port: startup.PG_PORT,
      password: PG_PASSWORD,
      appPassword: PG_APP_PASSWORD,
      log: (line) => log.debug(line),
    });
    local.push(pg);
    // Two roles: the initdb superuser owns the tables and migrates; the service is `owabi_app`.
    Object.assign(added, secrets, {
      DATABASE_URL: pg.appUrl,
      MIGRATION_DATABASE_URL: pg.url,
      SEED_DEMO: process.env.SEED_DEMO || 'true',
    });
  }
  if (!redisGiven) {
    log.info('no REDIS_URL: starting a local redis-server for the quick start');
    const redis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: startup.REDIS_PORT });
    local.push(redis);
    added.REDIS_URL = redis.url;
  }
  return added;
}

async function seedDemo(config: Config, logger: Logger): Promise<void> {
  if (!config.SEED_DEMO) return;
  configureAudit(config);
  const pool = createPool(config.DATABASE_URL, 2);
  const db = createDb(pool);
  try {
    const store = createObjectStore(config);
    await seedDemoOnce({ config, pool, db, logger, store, now: () => new Date() }, config.DATA_DIR);
  } finally {
    await db.destroy();
  }
}

async function announceDemo(config: Config, logger: Logger): Promise<void> {
  if (!config.SEED_DEMO) {
    logger.info({ port: config.PORT }, 'Owabi is running');
    return;
  }
  console.log(`\nOwabi is running: http://localhost:${config.PORT}/c/${DEMO_SLUG}  (demo campaign)`);
  const letter = await firstDemoLetter(config.DATA_DIR);
  if (letter) {
    const code = formatForPrint(letter.code.replace(/-/g, ''));
    console.log(`Demo login — ご登録用コード: ${code}  ログインキー: ${letter.key}`);
    console.log(`More demo letters: ${path.resolve(config.DATA_DIR, 'demo-letters.csv')}\n`);
  }
}
