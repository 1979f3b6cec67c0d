import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { deleteStaleThrottleRows } from './auth.repo.js';

/**
 * The login throttle keeps one row per client address (a keyed digest) and per registration code
 * tried. A row untouched for longer than both windows it is read with (the client's minute and the
 * code's lockout) holds nothing that still counts, so it goes: the table stays at the last half
 * hour's logins, and the client addresses' digests are not kept for the life of the campaign.
 * A minute of margin covers clocks a little apart between web processes.
 */
export async function sweepLoginThrottle(deps: {
  db: Db;
  config: Pick<Config, 'LOCKOUT_MINUTES'>;
  now: () => Date;
}): Promise<{ removed: number }> {
  const windowMinutes = Math.max(deps.config.LOCKOUT_MINUTES, 1) + 1;
  const before = new Date(deps.now().getTime() - windowMinutes * 60_000);
  return { removed: await deleteStaleThrottleRows(deps.db, before) };
}
