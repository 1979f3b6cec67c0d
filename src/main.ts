import cluster from 'node:cluster';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createDb, createPool } from './platform/db.js';
import type { AppDeps } from './platform/deps.js';
import { ConfigError, parseConfig, type Config } from './platform/config.js';
import { startEmbeddedPostgres, startLocalRedis, type LocalService } from './platform/localServices.js';
import { createLogger } from './platform/logger.js';
import { migrateToLatest } from './platform/migrate.js';
import { createRedis } from './platform/redis.js';
import { DEMO_SLUG, firstDemoLetter, seedDemoOnce } from './demo/seed.js';
import { startWebServer } from './server.js';
import { formatForPrint } from './customers/codes.js';

/**
 * `npm start`: brings up whatever is missing (PostgreSQL, Redis), migrates, seeds the demo campaign
 * once, and serves. With DATABASE_URL / REDIS_URL set it starts nothing of its own.
 */
function loadConfig(): Config {
  try {
    return parseConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}

function buildDeps(config: Config): AppDeps {
  const pool = createPool(config.DATABASE_URL!, config.DB_POOL_SIZE);
  return { config, pool, db: createDb(pool), logger: createLogger(config.LOG_LEVEL), now: () => new Date() };
}

async function runWeb(config: Config): Promise<() => Promise<void>> {
  const deps = buildDeps(config);
  const redis = createRedis(config.REDIS_URL!);
  redis.on('error', () => undefined); // readiness reports it; customers are not held up
  await redis.connect().catch(() => undefined);
  const server = await startWebServer(deps, config.PORT, config.HOST, [
    { name: 'redis', check: async () => void (await redis.ping()) },
  ]);
  return async () => {
    await new Promise((r) => server.close(r));
    server.closeAllConnections();
    redis.disconnect();
    await deps.db.destroy();
  };
}

function onSignal(shutdown: () => Promise<void>): void {
  const handler = () => {
    shutdown()
      .catch((e) => console.error('shutdown:', e))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

async function primary(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const local: LocalService[] = [];
  const dataDir = path.resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
  if (!config.DATABASE_URL) {
    log.info('no DATABASE_URL: starting embedded PostgreSQL under %s', path.join(config.DATA_DIR, 'pg'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: config.PG_PORT });
    local.push(pg);
    config.DATABASE_URL = pg.url;
  }
  if (!config.REDIS_URL) {
    log.info('no REDIS_URL: starting a local redis-server under %s', path.join(config.DATA_DIR, 'redis'));
    const redis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: config.REDIS_PORT });
    local.push(redis);
    config.REDIS_URL = redis.url;
  }
  const deps = buildDeps(config);
  const applied = await migrateToLatest(deps.db as never);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const { seeded } = config.SEED_DEMO ? await seedDemoOnce(deps, dataDir) : { seeded: false };
  await deps.db.destroy();

  const stopLocal = async () => {
    for (const s of local.reverse()) await s.stop().catch(() => undefined);
  };
  if (config.WEB_CONCURRENCY > 1) {
    for (let i = 0; i < config.WEB_CONCURRENCY; i++) {
      cluster.fork({ DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.REDIS_URL, OWABI_ROLE: 'web' });
    }
    onSignal(async () => {
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      await Promise.all(workers.map((w) => new Promise((r) => (w.once('exit', r), w.kill('SIGTERM')))));
      await stopLocal();
    });
  } else {
    const stopWeb = await runWeb(config);
    onSignal(async () => {
      await stopWeb();
      await stopLocal();
    });
  }

  const letter = await firstDemoLetter(dataDir);
  const url = `http://localhost:${config.PORT}/c/${DEMO_SLUG}`;
  console.log(`\nOwabi is running: ${url}${seeded ? '  (demo campaign seeded)' : ''}`);
  if (letter) {
    console.log(`Demo login — ご登録用コード: ${formatForPrint(letter.code.replace(/-/g, ''))}  ログインキー: ${letter.key}`);
    console.log(`More demo letters: ${path.join(config.DATA_DIR, 'demo-letters.csv')}\n`);
  }
}

if (cluster.isPrimary && process.env.OWABI_ROLE !== 'web') {
  primary().catch((err) => {
    console.error('Owabi failed to start:', err instanceof Error ? err.message : err);
    if (err instanceof Error && err.cause) console.error('  cause:', (err.cause as Error).message ?? err.cause);
    process.exit(1);
  });
} else {
  runWeb(loadConfig()).then(onSignal, (err) => {
    console.error('web worker failed:', err);
    process.exit(1);
  });
}
