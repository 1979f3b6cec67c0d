import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { fork, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AggregatorRegistry } from 'prom-client';
import { parseConfig, type Config, type StartupConfig } from '../platform/config.js';
import { SMALL_HEAP_FLAGS } from '../platform/heap-flags.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { prepareSchema } from '../platform/migrate.js';
import { serveMetrics } from '../platform/metrics-server.js';
import { UserFacingError } from '../platform/safe-errors.js';

/** What a caller adds around the primary's work (the quick start: its own servers and the demo). */
export interface PrimaryHooks {
  /** After migrations, before any web or worker process starts. */
  afterMigrate?: (config: Config, log: Logger) => Promise<void>;
  /** Once every process serves. */
  announce?: (config: Config, log: Logger) => Promise<void>;
  /** Last, after every child has stopped. */
  stop?: () => Promise<void>;
}

/**
 * The primary process: migrates, then supervises the web processes (node:cluster, one per
 * WEB_CONCURRENCY) and one worker process, and serves their aggregated metrics. It handles no
 * request itself. Its configuration comes from the environment, parsed once.
 */
export async function runPrimary(
  startup: StartupConfig,
  stopping: { stop?: () => Promise<void> },
  hooks: PrimaryHooks = {},
): Promise<void> {
  const log = createLogger(startup.LOG_LEVEL).child({ role: 'primary' });
  const children = new Supervisor(log);
  let metrics: http.Server | undefined;
  stopping.stop = async () => {
    metrics?.close();
    await children.stopAll();
    await hooks.stop?.();
  };

  const config = parseConfig();
  const env = childEnvironment(process.env);
  const applied = await prepareSchema(config, log);
  if (applied.length) log.info({ applied }, 'migrations applied');
  await hooks.afterMigrate?.(config, log);

  await Promise.all(Array.from({ length: config.WEB_CONCURRENCY }, () => children.startWeb(env)));
  if (config.START_WORKER) await children.startWorker(env);
  if (config.METRICS_PORT) {
    const aggregator = new AggregatorRegistry();
    metrics = await serveMetrics(config.METRICS_PORT, config.METRICS_HOST, async () => ({
      contentType: aggregator.contentType,
      body: await aggregator.clusterMetrics(),
    }));
  }
  if (hooks.announce) await hooks.announce(config, log);
  else log.info({ port: config.PORT }, 'Owabi is running');
}

/**
 * The environment of web and worker processes. They connect as the service's role only: never given
 * the owner's URL. cluster.fork lays its env over process.env, so a key left out must be undefined
 * (child_process then skips it); deleting it would let the primary's own value through.
 */
function childEnvironment(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...parent, MIGRATION_DATABASE_URL: undefined };
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
    // Web processes always run the app's entry, whichever script started the primary (the quick start).
    const here = fileURLToPath(import.meta.url);
    cluster.setupPrimary({
      exec: path.resolve(path.dirname(here), `main${path.extname(here)}`),
      // The primary's own flags come after, so an operator's `node --max-semi-space-size=… main.js` wins.
      execArgv: [...SMALL_HEAP_FLAGS, ...process.execArgv],
    });
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
    const entry = path.resolve(path.dirname(here), '../../jobs', `worker${path.extname(here)}`);
    const child = fork(entry, [], {
      env: { ...env, OWABI_ROLE: 'worker' },
      execArgv: [...SMALL_HEAP_FLAGS, ...process.execArgv],
    });
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
