import { AggregatorRegistry } from 'prom-client';
import { parseConfig } from '../platform/config.js';
import { failAndExit, installCrashHandlers, parsedOrExit, stopOnSignal } from '../platform/lifecycle.js';
import { createLogger } from '../platform/logger.js';
import { registry } from '../platform/metrics.js';
import { runWeb } from './web.js';

/** A web process forked by the primary (OWABI_ROLE=web). */
export async function startWeb(): Promise<void> {
  const role = process.env.OWABI_ROLE;
  const config = parsedOrExit(() => parseConfig(), `Owabi ${role ?? 'web'}`);
  const logger = createLogger(config.LOG_LEVEL).child({ role: 'web' });
  installCrashHandlers(logger);
  // The primary aggregates this process's metrics: answer its requests (the constructor listens).
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  const stop = await runWeb(config).catch((err: unknown) => failAndExit('Owabi web process', err));
  stopOnSignal(stop, config.SHUTDOWN_TIMEOUT_MS + 5_000, logger);
}
