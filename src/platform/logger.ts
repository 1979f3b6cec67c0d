import { pino, type Logger } from 'pino';
import { redactDeep } from './redact.js';

/**
 * Log lines never should carry personal data or secrets; redaction is the second line of defence.
 * Every object logged (and every child logger's bindings) goes through `redactDeep`: personal
 * fields by name at any depth (see redact.ts), errors reduced to type and code. The paths below
 * are pino's own, for the raw request and response objects that pass through unchanged.
 */
export const redactedPaths = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { svc: 'owabi' },
      formatters: {
        log: (obj) => redactDeep(obj),
        bindings: (bindings) => redactDeep(bindings),
      },
    },
    destination,
  );
  // pino applies `formatters.bindings` to the root's bindings only: a child's go through here.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redactDeep(bindings), options);
  } as Logger['child'];
  return logger;
}

export type { Logger };

/** The process logger: stdout, plus LOG_FILE when configured. */
export function createProcessLogger(config: { LOG_LEVEL: string; LOG_FILE?: string }): Logger {
  if (!config.LOG_FILE) return createLogger(config.LOG_LEVEL);
  const streams = pino.multistream([
    { stream: process.stdout, level: config.LOG_LEVEL as pino.Level },
    {
      stream: pino.destination({ dest: config.LOG_FILE, mkdir: true, sync: false }),
      level: config.LOG_LEVEL as pino.Level,
    },
  ]);
  return createLogger(config.LOG_LEVEL, streams);
}
