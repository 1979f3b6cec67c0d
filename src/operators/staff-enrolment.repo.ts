import type { Db } from '../platform/database.js';
import { securityDb, type StaffEnrolmentLinkRow } from './staff-security.table.js';

export async function insertEnrolmentLink(
  db: Db,
  row: {
    token_hash: Buffer;
    staff_id: string;
    totp_secret: string;
    created_by: string | null;
    created_at: Date;
    expires_at: Date;
  },
): Promise<void> {
  await securityDb(db).insertInto('staff_enrolment_links').values(row).execute();
}

/** A link that can still be used: not used, not expired, not replaced by a newer one. */
export async function findUsableLink(
  db: Db,
  tokenHash: Buffer,
  now: Date,
): Promise<StaffEnrolmentLinkRow | undefined> {
  return securityDb(db)
    .selectFrom('staff_enrolment_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Uses the link up, once: of two parallel submissions only one gets its staff id back. */
export async function consumeLink(db: Db, tokenHash: Buffer, now: Date): Promise<string | undefined> {
  const r = await securityDb(db)
    .updateTable('staff_enrolment_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('staff_id')
    .executeTakeFirst();
  return r?.staff_id;
}

/** Voids every open link of an account (a new one replaces them; the account is disabled). */
export async function voidLinksOf(db: Db, staffId: string, now: Date): Promise<void> {
  await securityDb(db)
    .updateTable('staff_enrolment_links')
    .set({ used_at: now })
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .execute();
}

/** The accounts with a link that can still be used (for the staff page). */
export async function staffWithOpenLinks(db: Db, now: Date): Promise<Set<string>> {
  const rows = await securityDb(db)
    .selectFrom('staff_enrolment_links')
    .select('staff_id')
    .distinct()
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  return new Set(rows.map((r) => r.staff_id));
}

export async function replaceRecoveryCodes(
  db: Db,
  staffId: string,
  hashes: string[],
  now: Date,
): Promise<void> {
  const sdb = securityDb(db);
  await sdb.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
  if (hashes.length === 0) return;
  await sdb
    .insertInto('staff_recovery_codes')
    .values(hashes.map((code_hash) => ({ staff_id: staffId, code_hash, created_at: now })))
    .execute();
}

export async function listRecoveryCodes(
  db: Db,
  staffId: string,
): Promise<{ id: string; code_hash: string }[]> {
  return securityDb(db)
    .selectFrom('staff_recovery_codes')
    .select(['id', 'code_hash'])
    .where('staff_id', '=', staffId)
    .orderBy('id')
    .execute();
}

/** Uses a recovery code up: true for the one request that deleted it. */
export async function deleteRecoveryCode(db: Db, id: string): Promise<boolean> {
  const r = await securityDb(db)
    .deleteFrom('staff_recovery_codes')
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}
