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
  row: { username: string; display_name: string; password_hash: string; role: Role },
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
      'role' | 'disabled_at' | 'totp_secret' | 'failed_logins' | 'locked_until' | 'password_hash'
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

export async function countStaff(db: Db): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
