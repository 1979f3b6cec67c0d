import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import { securityDb } from './staff-security.table.js';

/**
 * Counts one sign-in attempt of a client address in the current one-minute window, atomically
 * (insert or increment in one statement), before the password is checked; returns the count.
 */
export async function reserveClientAttempt(db: Db, client: string, now: Date): Promise<number> {
  const windowOver = sql<boolean>`staff_login_clients.window_start <= ${now}::timestamptz - interval '1 minute'`;
  const r = await securityDb(db)
    .insertInto('staff_login_clients')
    .values({ client, window_start: now, failures: 1 })
    .onConflict((oc) =>
      oc.column('client').doUpdateSet({
        failures: sql<number>`case when ${windowOver} then 1 else staff_login_clients.failures + 1 end`,
        window_start: sql<Date>`case when ${windowOver} then ${now}::timestamptz else staff_login_clients.window_start end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return r.failures;
}

/**
 * Gives the attempt back when it succeeded (only failures count against an address), and clears
 * the counts of addresses quiet for an hour, so the table stays small.
 */
export async function releaseClientAttempt(db: Db, client: string, now: Date): Promise<void> {
  const sdb = securityDb(db);
  await sdb
    .updateTable('staff_login_clients')
    .set({ failures: sql<number>`greatest(failures - 1, 0)` })
    .where('client', '=', client)
    .execute();
  await sdb
    .deleteFrom('staff_login_clients')
    .where('window_start', '<', new Date(now.getTime() - 3_600_000))
    .execute();
}
