/**
 * Retries work that takes table locks and may lose a deadlock (40P01) or run past its lock_timeout
 * (55P03) against the service's own short transactions: a partition made, attached or dropped
 * while customers log in. The owner's functions wait at most 500 ms for a lock (below PostgreSQL's
 * 1 s deadlock_timeout), so in a deadlock they give way, not the customer. Anything else is thrown.
 */
const LOCK_CONFLICTS = new Set(['40P01', '55P03']);

export async function retryOnLockConflict<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isLockConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt) * Math.random()));
    }
  }
}

/** A deadlock lost or a lock_timeout reached. */
export function isLockConflict(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code !== undefined && LOCK_CONFLICTS.has(code);
}
