import { errorFactory } from '../platform/errors.js';

/** Code and key do not match (or the code is unknown): one neutral message for both. */
export const LoginFailed = errorFactory('unauthenticated', (c) => c.auth.failed);
/** Too many failures for this registration code. */
export const LoginLocked = errorFactory(
  'locked',
  (c, minutes: number, centre: { name: string; freeDial: string }) => c.auth.locked(minutes, centre),
);
/** Too many attempts from this client. */
export const LoginThrottled = errorFactory('throttled', (c) => c.auth.throttled);
/** The session ended (or never was): log in again. */
export const SessionEnded = errorFactory('unauthenticated', (c) => c.auth.loginAgain);
