import type { Logger } from './logger.js';
import { errorKind, stackFrames, UserFacingError } from './safe-errors.js';
import { ConfigError } from './config.js';
import { isAppError } from './errors.js';

/** Exit codes: 78 (EX_CONFIG) for configuration the user must fix, 1 for anything else. */
export const EXIT_CONFIG = 78;

/** Problems the user can fix print one sentence, never a stack trace. */
export function explain(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError) return { message: err.message, code: EXIT_CONFIG };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') {
    return { message: `Port ${portOf(e)} is taken: stop what uses it, or choose another port.`, code: 1 };
  }
  if (e?.code === 'ECONNREFUSED') {
    return { message: `Nothing answers at ${portOf(e)}: is the database or Redis running?`, code: 1 };
  }
  if (err instanceof UserFacingError) return { message: err.message, code: 1 };
  if (isAppError(err)) return { message: err.publicMessage, code: 1 };
  // Anything else may be a database error, whose message quotes the values it refused.
  return { message: `${errorKind(err)} (its message is not shown: it may quote personal data)`, code: 1 };
}

function portOf(e: NodeJS.ErrnoException & { port?: number; address?: string }): string {
  return e.port !== undefined ? String(e.port) : (e.address ?? 'the given address');
}

export function failAndExit(what: string, err: unknown): never {
  const { message, code } = explain(err);
  console.error(`${what}: ${message}`);
  process.exit(code);
}

/** `parse()`, or exit 78 with the message naming what is wrong. */
export function parsedOrExit<T>(parse: () => T, what = 'Owabi'): T {
  try {
    return parse();
  } catch (e) {
    failAndExit(what, e);
  }
}

/** What a crash log holds: its kind, type, code and stack frames; never its message. */
export function crashRecord(kind: string, err: unknown) {
  const e = err instanceof Error ? err : new Error('non-error thrown');
  return { kind, type: e.name, code: (e as NodeJS.ErrnoException).code, frames: stackFrames(e, 7) };
}

/** A crash is logged by its kind and stack frames only: messages can quote personal data. */
export function installCrashHandlers(logger: Logger): void {
  const crash = (kind: string) => (err: unknown) => {
    logger.fatal(crashRecord(kind, err), 'process crashed');
    process.exit(1);
  };
  process.on('uncaughtException', crash('uncaughtException'));
  process.on('unhandledRejection', crash('unhandledRejection'));
}

/**
 * SIGTERM or SIGINT runs `stop` once and exits 0; a stop that outlives its deadline exits 1.
 * A second signal while stopping is ignored (Ctrl-C reaches every process of the group).
 */
export function stopOnSignal(stop: () => Promise<void>, deadlineMs: number, logger?: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger?.info({ signal }, 'stopping');
    setTimeout(() => {
      logger?.error('stop took too long; exiting');
      process.exit(1);
    }, deadlineMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger?.error({ type: (err as Error)?.name }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
