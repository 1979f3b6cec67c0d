/**
 * Errors as logs may show them. A PostgreSQL error's `message` and `detail` quote the values it
 * refused (a name, an address, a code), and any message may embed input: logs keep the error's
 * type, its code (SQLSTATE, errno) and the stack frames, never a message.
 */
export interface SafeError {
  type: string;
  code?: string;
}

export function safeError(err: unknown): SafeError {
  const e = err as { name?: unknown; code?: unknown } | null | undefined;
  const type = typeof e?.name === 'string' && /^[\w$.-]{1,80}$/.test(e.name) ? e.name : typeof err;
  const code =
    typeof e?.code === 'string' || typeof e?.code === 'number' ? String(e.code).slice(0, 40) : undefined;
  return code === undefined ? { type } : { type, code };
}

/** `Type CODE`, for a one-line message. */
export const errorKind = (err: unknown): string => {
  const { type, code } = safeError(err);
  return code ? `${type} ${code}` : type;
};

/** The `at …` lines of a stack, without the message lines above them (a message may span lines). */
export function stackFrames(err: unknown, max = 10): string {
  const e = err as { stack?: unknown; name?: unknown; message?: unknown } | null | undefined;
  if (typeof e?.stack !== 'string') return '';
  // V8 starts the stack with `name: message`; a message can hold lines that look like frames.
  const header = `${String(e.name)}: ${String(e.message)}`;
  const stack = e.stack.startsWith(header) ? e.stack.slice(header.length) : e.stack;
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, max)
    .join('\n');
}

/**
 * The same error with its message replaced by its type and code, and its stack by the frames: what
 * a job throws reaches the worker's log and BullMQ's failed reason (kept in Redis).
 */
export function withoutMessage<E extends Error>(err: unknown, make: (message: string) => E): E {
  const safe = make(errorKind(err));
  const frames = stackFrames(err);
  safe.stack = `${safe.name}: ${safe.message}${frames ? `\n${frames}` : ''}`;
  return safe;
}

/** An error whose message we wrote ourselves, for the person at the terminal (shown as it is). */
export class UserFacingError extends Error {}
