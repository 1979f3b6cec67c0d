import { sql } from 'kysely';
import type { Db } from '../platform/database.js';
import type { Role, StaffRow } from './staff.table.js';

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findStaffById(db: Db, id: string): Promise<StaffRow | undefined> {
  return db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listStaff(db: Db): Promise<StaffRow[]> {
  return db.selectFrom('staff').selectAll().orderBy('username').execute();
}

export async function insertStaff(
  db: Db,
  row: { username: string; display_name: string; password_hash: string | null; role: Role },
): Promise<string> {
  const r = await db.insertInto('staff').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateStaff(
  db: Db,
  id: string,
  set: Partial<
    Pick<
      StaffRow,
      | 'role'
      | 'disabled_at'
      | 'totp_secret'
      | 'totp_last_step'
      | 'failed_logins'
      | 'locked_until'
      | 'password_hash'
      | 'password_changed_at'
    >
  >,
  now: Date,
): Promise<void> {
  await db
    .updateTable('staff')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Replaces a secret only if it is still the value read (a plain one being encrypted on read). */
export async function replaceTotpSecret(db: Db, id: string, from: string, to: string): Promise<void> {
  await db
    .updateTable('staff')
    .set({ totp_secret: to })
    .where('id', '=', id)
    .where('totp_secret', '=', from)
    .execute();
}

export async function countStaff(db: Db): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Takes one attempt from the account before its password or code is checked, in one statement,
 * so parallel guesses cannot all pass a check made before any of them is counted. Refused (false)
 * while the account is locked; the attempt that reaches `max` sets the lock. A lock that ran out
 * starts the count again.
 */
export async function reserveAttempt(
  db: Db,
  id: string,
  max: number,
  now: Date,
  lockUntil: Date,
): Promise<boolean> {
  const count = sql<number>`(case when locked_until is not null and locked_until <= ${now} then 0 else failed_logins end) + 1`;
  const r = await db
    .updateTable('staff')
    .set({
      failed_logins: count,
      locked_until: sql<Date | null>`case when ${count} >= ${max} then ${lockUntil}::timestamptz else null end`,
    })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins')
    .executeTakeFirst();
  return r !== undefined;
}

/** Gives back an attempt that turned out right (a password, with the second factor still due). */
export async function releaseAttempt(db: Db, id: string, max: number): Promise<void> {
  await db
    .updateTable('staff')
    .set({
      failed_logins: sql<number>`greatest(failed_logins - 1, 0)`,
      locked_until: sql<Date | null>`case when failed_logins - 1 >= ${max} then locked_until else null end`,
    })
    .where('id', '=', id)
    .execute();
}

/** A full sign-in (or an administrator's unlock) clears the count and the lock. */
export async function clearFailures(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('staff')
    .set({ failed_logins: 0, locked_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Records a TOTP time step as used; false when it (or a later one) already was. */
export async function claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('staff')
    .set({ totp_last_step: String(step) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}
