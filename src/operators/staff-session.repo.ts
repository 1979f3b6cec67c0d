import type { Db } from '../platform/database.js';
import { securityDb, type StaffSessionRow } from './staff-security.table.js';
import type { StaffRow } from './staff.table.js';

export async function insertSession(
  db: Db,
  row: { id: Buffer; staff_id: string; mfa: boolean; created_at: Date; last_seen_at: Date },
): Promise<void> {
  await securityDb(db).insertInto('staff_sessions').values(row).execute();
}

/** The session and its account, in one query (made on every console request). */
export async function findSessionWithStaff(
  db: Db,
  id: Buffer,
): Promise<{ session: StaffSessionRow; staff: StaffRow } | undefined> {
  const r = await securityDb(db)
    .selectFrom('staff_sessions as s')
    .innerJoin('staff', 'staff.id', 's.staff_id')
    .select([
      's.id as s_id',
      's.mfa as s_mfa',
      's.totp_failures as s_totp_failures',
      's.created_at as s_created_at',
      's.last_seen_at as s_last_seen_at',
    ])
    .selectAll('staff')
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const { s_id, s_mfa, s_totp_failures, s_created_at, s_last_seen_at, ...staff } = r;
  return {
    session: {
      id: s_id,
      staff_id: staff.id,
      mfa: s_mfa,
      totp_failures: s_totp_failures,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
    },
    staff,
  };
}

/** Slides the idle timeout; written at most once per `after` so that a busy page costs no write. */
export async function touchSession(db: Db, id: Buffer, now: Date, after: Date): Promise<void> {
  await securityDb(db)
    .updateTable('staff_sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('last_seen_at', '<', after)
    .execute();
}

export async function deleteSession(db: Db, id: Buffer): Promise<void> {
  await securityDb(db).deleteFrom('staff_sessions').where('id', '=', id).execute();
}

/** Ends every session of an account (disabled, password or second factor reset), or all but one. */
export async function deleteSessionsOf(db: Db, staffId: string, except?: Buffer): Promise<number> {
  let q = securityDb(db).deleteFrom('staff_sessions').where('staff_id', '=', staffId);
  if (except) q = q.where('id', '!=', except);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Housekeeping at each sign-in: the account's sessions that can no longer be used. */
export async function deleteExpiredSessionsOf(
  db: Db,
  staffId: string,
  idleBefore: Date,
  createdBefore: Date,
): Promise<void> {
  await securityDb(db)
    .deleteFrom('staff_sessions')
    .where('staff_id', '=', staffId)
    .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
    .execute();
}

/**
 * Counts one second-factor attempt of a half-signed-in session before the code is checked (so
 * parallel guesses are counted too); undefined once the session has had `max` of them.
 */
export async function reserveSecondFactorAttempt(
  db: Db,
  id: Buffer,
  max: number,
): Promise<number | undefined> {
  const r = await securityDb(db)
    .updateTable('staff_sessions')
    .set((eb) => ({ totp_failures: eb('totp_failures', '+', 1) }))
    .where('id', '=', id)
    .where('mfa', '=', false)
    .where('totp_failures', '<', max)
    .returning('totp_failures')
    .executeTakeFirst();
  return r?.totp_failures;
}
