import type { Db } from '../platform/database.js';
import { TotpSecretBox } from './staff-crypto.js';
import { claimTotpStep, replaceTotpSecret, updateStaff } from './staff.repo.js';
import { matchTotpStep } from './staff-totp.js';
import type { StaffRow } from './staff.table.js';

/**
 * The plain TOTP secret of an account. A secret stored before encryption (base32 in the column)
 * is encrypted here, on this first read, and written back: existing rows are migrated at their
 * owner's next sign-in, never in SQL (the database does not hold the key).
 */
export async function readTotpSecret(
  db: Db,
  box: TotpSecretBox,
  staff: Pick<StaffRow, 'id' | 'totp_secret'>,
): Promise<string | null> {
  const stored = staff.totp_secret;
  if (stored === null) return null;
  if (TotpSecretBox.isSealed(stored)) return box.open(stored, staff.id);
  if (!/^[A-Z2-7]+=*$/.test(stored)) throw new Error('unreadable TOTP secret');
  await replaceTotpSecret(db, staff.id, stored, box.seal(stored, staff.id));
  return stored;
}

/** Stores a new secret, encrypted; `usedStep` (the enrolment code's) can then not be replayed. */
export async function storeTotpSecret(
  db: Db,
  box: TotpSecretBox,
  staffId: string,
  secret: string,
  usedStep: number | null,
  now: Date,
): Promise<void> {
  await updateStaff(
    db,
    staffId,
    {
      totp_secret: box.seal(secret, staffId),
      totp_last_step: usedStep === null ? null : String(usedStep),
    },
    now,
  );
}

/**
 * A TOTP code of the account, accepted once: the step it belongs to must be later than the last
 * one accepted, and recording it is a conditional UPDATE, so of two requests with the same code
 * (even in parallel) only one passes.
 */
export async function acceptTotpOnce(
  db: Db,
  box: TotpSecretBox,
  staff: Pick<StaffRow, 'id' | 'totp_secret'>,
  code: string,
  now: Date,
): Promise<boolean> {
  const secret = await readTotpSecret(db, box, staff);
  const step = secret === null ? null : matchTotpStep(secret, code, now);
  return step !== null && (await claimTotpStep(db, staff.id, step));
}
