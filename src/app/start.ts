import { parseStartupConfig } from '../platform/config.js';
import { failAndExit, installCrashHandlers, parsedOrExit, stopOnSignal } from '../platform/lifecycle.js';
import { createLogger } from '../platform/logger.js';
import { runPrimary, type PrimaryHooks } from './primary.js';

/** The primary process until a signal stops it; exits with a sentence when it cannot start. */
export async function startPrimary(hooks: PrimaryHooks = {}): Promise<void> {
  const stopping: { stop?: () => Promise<void> } = {};
  const startup = parsedOrExit(parseStartupConfig);
  const logger = createLogger(startup.LOG_LEVEL).child({ role: 'primary' });
  installCrashHandlers(logger);
  // Long enough for every child's own grace period, then PostgreSQL's fast shutdown.
  stopOnSignal(async () => stopping.stop?.(), startup.SHUTDOWN_TIMEOUT_MS + 15_000, logger);
  await runPrimary(startup, stopping, hooks).catch(async (err: unknown) => {
    await (stopping.stop ?? hooks.stop)?.().catch(() => undefined);
    failAndExit('Owabi could not start', err);
  });
}
