import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { parseConfig, parseStartupConfig } from './platform/config.js';
import { failAndExit, installCrashHandlers, parsedOrExit, stopOnSignal } from './platform/lifecycle.js';
import { createLogger } from './platform/logger.js';
import { registry } from './platform/metrics.js';
import { runPrimary } from './primary.js';
import { runWeb } from './web.js';

/**
 * `npm start` / `npm run start:prod`. The primary (no OWABI_ROLE) prepares and supervises; it forks
 * the web processes with node:cluster (OWABI_ROLE=web) and the worker from jobs/worker.
 */
const role = process.env.OWABI_ROLE;

if (cluster.isPrimary && !role) {
  const stopping: { stop?: () => Promise<void> } = {};
  const startup = parsedOrExit(parseStartupConfig);
  const logger = createLogger(startup.LOG_LEVEL).child({ role: 'primary' });
  installCrashHandlers(logger);
  // Long enough for every child's own grace period, then PostgreSQL's fast shutdown.
  stopOnSignal(async () => stopping.stop?.(), startup.SHUTDOWN_TIMEOUT_MS + 15_000, logger);
  await runPrimary(startup, stopping).catch(async (err: unknown) => {
    await stopping.stop?.().catch(() => undefined);
    failAndExit('Owabi could not start', err);
  });
} else {
  const config = parsedOrExit(() => parseConfig(), `Owabi ${role ?? 'web'}`);
  const logger = createLogger(config.LOG_LEVEL).child({ role: 'web' });
  installCrashHandlers(logger);
  // The primary aggregates this process's metrics: answer its requests (the constructor listens).
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const stop = await runWeb(config).catch((err: unknown) => failAndExit('Owabi web process', err));
  stopOnSignal(stop, config.SHUTDOWN_TIMEOUT_MS + 5_000, logger);
}
