import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { generateSecrets } from '../../dev/local/environment.js';
import {
  freePort,
  startEmbeddedPostgres,
  startLocalRedis,
  type LocalService,
} from '../../dev/local/services.js';
import { createDb, createPool } from '../../src/platform/db.js';
import { migrateToLatest } from '../../src/platform/migrate.js';
import {
  spawnService,
  stopService,
  waitForHttpOk,
  waitForProcesses,
  type ServiceProcess,
} from './children.js';
import { onCleanup, trackChild } from './cleanups.js';
import { redeemLog as log } from './log.js';
import type { RedeemOptions } from './redeem-options.js';

/** The servers of the redeem bench: PostgreSQL, Redis, the service under test and the baseline. */

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type BenchDb = ReturnType<typeof createDb>;

export interface LocalStack {
  postgresUrl: string;
  redisUrl: string;
  /** The postmaster: its tree is PostgreSQL's CPU. */
  pgPid: number;
}

export interface StartedServer {
  service: ServiceProcess;
  port: number;
}

/** The run's temporary directory (database, logs, letters), removed at the end unless --keep. */
export function makeTempDir(keep: boolean): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-'));
  chmodSync(root, 0o755); // PostgreSQL runs as the postgres user when we are root
  onCleanup('temp dir', () => (keep ? undefined : rmSync(root, { recursive: true, force: true })));
  return root;
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** pg_stat_statements is loaded at server start only: set it, then start the same cluster again. */
async function restartWithPgStatStatements(
  pgs: LocalService,
  dataDir: string,
  ephemeral: boolean,
): Promise<LocalService> {
  const p = createPool(pgs.url, 1);
  await p.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
  await p.end();
  await pgs.stop();
  const { port, password } = new URL(pgs.url);
  // The same cluster: its superuser keeps the password it was created with.
  return startEmbeddedPostgres({
    dataDir,
    ephemeral,
    port: Number(port),
    password: decodeURIComponent(password),
  });
}

/** PostgreSQL and Redis: the real servers. */
export async function startDatabases(root: string, opts: RedeemOptions): Promise<LocalStack> {
  const pgDir = path.join(root, 'pg');
  let pgs: LocalService = await startEmbeddedPostgres({ dataDir: pgDir, ephemeral: opts.ephemeral });
  onCleanup('postgres', () => pgs.stop());
  if (opts.pgStatStatements) pgs = await restartWithPgStatStatements(pgs, pgDir, opts.ephemeral);
  const redis = await startLocalRedis({ dataDir: path.join(root, 'redis'), ephemeral: opts.ephemeral });
  onCleanup('redis', () => redis.stop());
  const pgPid = postmasterPid(pgDir);
  log(
    `PostgreSQL ${opts.ephemeral ? 'EPHEMERAL (fsync=off, synchronous_commit=off)' : 'durable (fsync=on, synchronous_commit=on)'} at ${new URL(pgs.url).host}; Redis at ${redis.url}`,
  );
  return { postgresUrl: pgs.url, redisUrl: redis.url, pgPid };
}

/** The bench's own connections: migrations, seeding, counters. */
export async function openBenchDb(
  url: string,
  pgStatStatements: boolean,
): Promise<{ pool: pg.Pool; db: BenchDb }> {
  const pool = createPool(url, 4);
  const db = createDb(pool);
  onCleanup('bench pool', () => db.destroy());
  await migrateToLatest(db as never);
  if (pgStatStatements) await pool.query('create extension if not exists pg_stat_statements');
  return { pool, db };
}

function webEnvironment(opts: RedeemOptions, stack: LocalStack, port: number, root: string, pepper: string) {
  return {
    ...process.env,
    NODE_ENV: opts.nodeEnv,
    DATABASE_URL: stack.postgresUrl,
    REDIS_URL: stack.redisUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: path.join(root, 'web'),
    WEB_CONCURRENCY: String(opts.webProcesses),
    DB_POOL_SIZE: String(opts.dbPoolSize),
    TRUST_PROXY_HOPS: opts.distinctIps ? '1' : '0',
    SEED_DEMO: 'false',
    START_WORKER: String(opts.withWorker),
    ...generateSecrets(),
    LOGIN_KEY_PEPPER: pepper,
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
  };
}

/** The service under test (src/app/main.ts), with its cluster of web processes up and answering. */
export async function startWebService(
  opts: RedeemOptions,
  stack: LocalStack,
  root: string,
  pepper: string,
  profDir: string,
  entry: string[],
): Promise<StartedServer> {
  const port = await freePort();
  const nodeArgs = [
    ...opts.webNodeArgs,
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
    ...entry,
  ];
  const env = webEnvironment(opts, stack, port, root, pepper);
  const web = spawnService('web', nodeArgs, env, repoRoot, opts.node.bin);
  trackChild(web.child);
  onCleanup('web', () => stopService(web));
  await waitForHttpOk(web, `http://127.0.0.1:${port}/healthz`, 180_000);
  if (opts.webProcesses > 1) await waitForProcesses(web.pid, opts.webProcesses + 1, 60_000);
  log(
    `service up: ${entry.at(-1)}, NODE_ENV=${opts.nodeEnv}, WEB_CONCURRENCY=${opts.webProcesses}, DB_POOL_SIZE=${opts.dbPoolSize}, pid ${web.pid}`,
  );
  return { service: web, port };
}

/** The yardstick: bare Express + one INSERT per request, same PostgreSQL, same number of processes. */
export async function startBaselineService(
  opts: RedeemOptions,
  stack: LocalStack,
  entry: string[],
): Promise<StartedServer> {
  const port = await freePort();
  const base = spawnService(
    'baseline',
    entry,
    {
      ...process.env,
      DATABASE_URL: stack.postgresUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      WORKERS: String(opts.webProcesses),
      DB_POOL_SIZE: String(opts.dbPoolSize),
      NODE_ENV: opts.nodeEnv,
    },
    repoRoot,
    opts.node.bin,
  );
  trackChild(base.child);
  onCleanup('baseline', () => stopService(base));
  await waitForHttpOk(base, `http://127.0.0.1:${port}/healthz`, 60_000);
  if (opts.webProcesses > 1) await waitForProcesses(base.pid, opts.webProcesses + 1, 60_000);
  return { service: base, port };
}
