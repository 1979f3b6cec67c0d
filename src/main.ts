import cluster from 'node:cluster';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { closeQueues, createQueues } from '../jobs/queues.js';
import { runWorker } from '../jobs/worker.js';
import { formatForPrint } from './customers/codes.js';
import { DEMO_SLUG, firstDemoLetter, seedDemoOnce } from './demo/seed.js';
import { ConfigError, parseConfig, type Config } from './platform/config.js';
import { createDb, createPool } from './platform/db.js';
import type { AppDeps } from './platform/deps.js';
import { startEmbeddedPostgres, startLocalRedis, type LocalService } from './platform/localServices.js';
import { createProcessLogger } from './platform/logger.js';
import { migrateToLatest } from './platform/migrate.js';
import { queueDepthCollector } from './platform/queueMetrics.js';
import { startWebServer } from './server.js';

/**
 * `npm start`: brings up whatever is missing (PostgreSQL, Redis), migrates, seeds the demo campaign
 * once, then runs the web server(s) and a worker. With DATABASE_URL / REDIS_URL set it starts
 * nothing of its own. Roles: the primary prepares and supervises; `web` and `worker` processes
 * are forked with the URLs in their environment.
 */
type Stop = () => Promise<void>;

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
  return { config, pool, db: createDb(pool), logger: createProcessLogger(config), now: () => new Date() };
}

async function runWeb(config: Config): Promise<Stop> {
  const deps = buildDeps(config);
  const { queues, connection } = createQueues(config.REDIS_URL!);
  const server = await startWebServer(deps, config.PORT, config.HOST, {
    readinessProbes: [{ name: 'redis', check: async () => void (await connection.ping()) }],
    beforeMetricsScrape: queueDepthCollector(Object.values(queues), deps.db),
    queues,
  });
  return async () => {
    await new Promise((r) => server.close(r));
    server.closeAllConnections();
    await closeQueues(queues, connection);
    await deps.db.destroy();
  };
}

function onSignal(shutdown: Stop): void {
  const handler = () => {
    shutdown()
      .catch((e) => console.error('shutdown:', e))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

async function startLocalServices(config: Config, dataDir: string): Promise<LocalService[]> {
  const log = createProcessLogger(config);
  const local: LocalService[] = [];
  if (!config.DATABASE_URL) {
    log.info('no DATABASE_URL: starting embedded PostgreSQL under %s', path.join(config.DATA_DIR, 'pg'));
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: config.PG_PORT });
    local.push(pg);
    config.DATABASE_URL = pg.url;
  }
  if (!config.REDIS_URL) {
    log.info('no REDIS_URL: starting a local redis-server under %s', path.join(config.DATA_DIR, 'redis'));
    local.push(await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: config.REDIS_PORT }));
    config.REDIS_URL = local[local.length - 1]!.url;
  }
  return local;
}

function forkAndWait(role: 'web' | 'worker', config: Config): Promise<void> {
  const child = cluster.fork({
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    OWABI_ROLE: role,
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`${role} process ${child.process.pid} exited (${code ?? signal})`);
  });
  return new Promise((resolve, reject) => {
    child.once(role === 'web' ? 'listening' : 'online', () => resolve());
    child.once('exit', (code) => reject(new Error(`${role} process exited during start (${code})`)));
  });
}

async function primary(): Promise<void> {
  const config = loadConfig();
  const dataDir = path.resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
  const local = await startLocalServices(config, dataDir);
  const deps = buildDeps(config);
  await migrateToLatest(deps.db as never);
  const { seeded } = config.SEED_DEMO ? await seedDemoOnce(deps, dataDir) : { seeded: false };
  await deps.db.destroy();

  const stops: Stop[] = [];
  if (config.WEB_CONCURRENCY > 1) {
    await Promise.all(Array.from({ length: config.WEB_CONCURRENCY }, () => forkAndWait('web', config)));
  } else {
    stops.push(await runWeb(config));
  }
  if (config.START_WORKER) await forkAndWait('worker', config);
  onSignal(async () => {
    for (const stop of stops) await stop();
    const children = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(children.map((w) => new Promise((r) => (w.once('exit', r), w.kill('SIGTERM')))));
    for (const s of local.reverse()) await s.stop().catch(() => undefined);
  });

  const url = `http://localhost:${config.PORT}/c/${DEMO_SLUG}`;
  console.log(`\nOwabi is running: ${url}${seeded ? '  (demo campaign seeded)' : ''}`);
  const letter = config.SEED_DEMO ? await firstDemoLetter(dataDir) : undefined;
  if (letter) {
    console.log(
      `Demo login — ご登録用コード: ${formatForPrint(letter.code.replace(/-/g, ''))}  ログインキー: ${letter.key}`,
    );
    console.log(`More demo letters: ${path.join(config.DATA_DIR, 'demo-letters.csv')}\n`);
  }
}

const role = process.env.OWABI_ROLE;
const main =
  cluster.isPrimary && !role
    ? primary()
    : (role === 'worker' ? runWorker : runWeb)(loadConfig()).then(onSignal);
main.catch((err) => {
  console.error(`Owabi ${role ?? ''} failed to start:`, err instanceof Error ? err.message : err);
  if (err instanceof Error && err.cause) console.error('  cause:', (err.cause as Error).message ?? err.cause);
  process.exit(1);
});
