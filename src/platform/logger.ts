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
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: { svc: 'owabi' } }, destination);
}

export type { Logger };
