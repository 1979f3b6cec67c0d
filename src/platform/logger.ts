import { pino, type Logger } from 'pino';

/**
 * Field names that may carry personal data or secrets. Log lines never should; redaction is the
 * second line of defence.
 */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.loginKey',
  '*.login_key',
  '*.registrationCode',
  '*.registration_code',
  '*.password',
  '*.name',
  '*.fullName',
  '*.address',
  '*.postalCode',
  '*.phone',
  '*.email',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { svc: 'owabi' } },
    destination,
  );
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
