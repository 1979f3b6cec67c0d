import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import { configureAudit } from './audit/audit.settings.js';
import { ConfigError, parseConfig, type Config, type StartupConfig } from './platform/config.js';
import { createDb, createPool } from './platform/db.js';
import { ensurePrivateDataDir, loadOrCreateLocalSecrets } from './platform/localEnvironment.js';
import type { LocalService } from './platform/localPorts.js';
import { createLogger, type Logger } from './platform/logger.js';
import { prepareSchema } from './platform/migrate.js';
import { serveMetrics } from './platform/metricsServer.js';
import { UserFacingError } from './platform/safeErrors.js';

/**
 * The primary process: learns or starts PostgreSQL and Redis, migrates, seeds the demo when asked,
 * then supervises the web processes (node:cluster, one per WEB_CONCURRENCY) and one worker process,
 * and serves their aggregated metrics. It handles no request itself.
 */
export async function runPrimary(
  startup: StartupConfig,
  stopping: { stop?: () => Promise<void> },
): Promise<void> {
  const log = createLogger(startup.LOG_LEVEL).child({ role: 'primary' });
  const local: LocalService[] = [];
  const children = new Supervisor(log);
  let metrics: http.Server | undefined;
  stopping.stop = async () => {
    metrics?.close();
    await children.stopAll();
    for (const s of local.reverse()) await s.stop().catch(() => undefined);
  };

  // The web and worker processes connect as the service's role only: never given the owner's URL.
  const { MIGRATION_DATABASE_URL: ownerUrl, ...env } = {
    ...process.env,
    ...(await startLocalServices(startup, local, log)),
  };
  const config = parseConfig({ ...env, MIGRATION_DATABASE_URL: ownerUrl });
  await prepareDatabase(config, log);

  await Promise.all(Array.from({ length: config.WEB_CONCURRENCY }, () => children.startWeb(env)));
  if (config.START_WORKER) await children.startWorker(env);
  if (config.METRICS_PORT) {
    const aggregator = new AggregatorRegistry();
    metrics = await serveMetrics(config.METRICS_PORT, config.METRICS_HOST, async () => ({
      contentType: aggregator.contentType,
      body: await aggregator.clusterMetrics(),
    }));
  }
  await announce(config, log);
}

/** Without DATABASE_URL / REDIS_URL: the quick start's own servers, secrets and demo. */
async function startLocalServices(
  startup: StartupConfig,
  local: LocalService[],
  log: Logger,
): Promise<Record<string, string>> {
  const added: Record<string, string> = {};
  const production = startup.NODE_ENV === 'production';
  if (production && (!startup.DATABASE_URL || !startup.REDIS_URL)) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL and REDIS_URL are required in production ' +
        '(only the local quick start runs its own PostgreSQL and Redis).',
    );
  }
  const dataDir = ensurePrivateDataDir(startup.DATA_DIR);
  if (!startup.DATABASE_URL) {
    const { PG_PASSWORD, PG_APP_PASSWORD, ...secrets } = loadOrCreateLocalSecrets(dataDir);
    const { startEmbeddedPostgres } = await import('./platform/localPostgres.js');
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
      SEED_DEMO: process.env.SEED_DEMO ?? 'true',
    });
  }
  if (!startup.REDIS_URL) {
    const { startLocalRedis } = await import('./platform/localServices.js');
    log.info('no REDIS_URL: starting a local redis-server for the quick start');
    const redis = await startLocalRedis({ dataDir: path.join(dataDir, 'redis'), port: startup.REDIS_PORT });
    local.push(redis);
    added.REDIS_URL = redis.url;
  }
  return added;
}

async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const applied = await prepareSchema(config, log);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (!config.SEED_DEMO) return;
  configureAudit(config);
  const pool = createPool(config.DATABASE_URL, 2);
  const db = createDb(pool);
  try {
    // Loaded only here: the demo (and faker) never reach a production process.
    const { seedDemoOnce } = await import('./demo/seed.js');
    await seedDemoOnce({ config, pool, db, logger: log, now: () => new Date() }, config.DATA_DIR);
  } finally {
    await db.destroy();
  }
}

async function announce(config: Config, log: Logger): Promise<void> {
  if (!config.SEED_DEMO) {
    log.info({ port: config.PORT }, 'Owabi is running');
    return;
  }
  const { DEMO_SLUG, firstDemoLetter } = await import('./demo/seed.js');
  const { formatForPrint } = await import('./customers/codes.js');
  console.log(`\nOwabi is running: http://localhost:${config.PORT}/c/${DEMO_SLUG}  (demo campaign)`);
  const letter = await firstDemoLetter(config.DATA_DIR);
  if (letter) {
    const code = formatForPrint(letter.code.replace(/-/g, ''));
    console.log(`Demo login — ご登録用コード: ${code}  ログインキー: ${letter.key}`);
    console.log(`More demo letters: ${path.resolve(config.DATA_DIR, 'demo-letters.csv')}\n`);
  }
}

type Child = {
  kill(signal: NodeJS.Signals): void;
  once(event: 'exit', fn: () => void): void;
  exited(): boolean;
};

/** Starts the web and worker processes, restarts one that dies, and stops them all on request. */
class Supervisor {
  private readonly running = new Set<Child>();
  private stopping = false;

  constructor(private readonly log: Logger) {}

  startWeb(env: NodeJS.ProcessEnv): Promise<void> {
    const worker = cluster.fork({ ...env, OWABI_ROLE: 'web' });
    return this.watch(
      wrapCluster(worker),
      'web',
      () => this.startWeb(env),
      (ready) => worker.once('listening', ready),
    );
  }

  startWorker(env: NodeJS.ProcessEnv): Promise<void> {
    const here = fileURLToPath(import.meta.url);
    const entry = path.resolve(path.dirname(here), '../jobs', `worker${path.extname(here)}`);
    const child = fork(entry, [], { env: { ...env, OWABI_ROLE: 'worker' } });
    return this.watch(
      wrapChild(child),
      'worker',
      () => this.startWorker(env),
      (ready) => child.on('message', (m) => m === 'owabi:ready' && ready()),
    );
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.running].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exited()) return resolve();
            c.once('exit', resolve);
            c.kill('SIGTERM');
          }),
      ),
    );
  }

  private watch(child: Child, role: string, restart: () => Promise<void>, onReady: (cb: () => void) => void) {
    this.running.add(child);
    return new Promise<void>((resolve, reject) => {
      let started = false;
      onReady(() => {
        started = true;
        resolve();
      });
      child.once('exit', () => {
        this.running.delete(child);
        if (!started)
          return reject(
            new UserFacingError(`the ${role} process stopped during start (see its message above)`),
          );
        if (this.stopping) return;
        this.log.error({ role }, 'process died; starting another');
        setTimeout(() => void restart().catch(() => undefined), 1_000).unref();
      });
    });
  }
}

function wrapCluster(w: ClusterWorker): Child {
  return {
    kill: (s) => w.process.kill(s),
    once: (e, fn) => void w.once(e, fn),
    exited: () => w.isDead(),
  };
}

function wrapChild(c: ChildProcess): Child {
  return {
    kill: (s) => void c.kill(s),
    once: (e, fn) => void c.once(e, fn),
    exited: () => c.exitCode !== null || c.signalCode !== null,
  };
}
