import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Database } from '../platform/database.js';
import {
  AccountLocked,
  FormRefused,
  PasswordUnchangeable,
  WrongCurrentPassword,
} from './operators.errors.js';
import { passwordProblem } from './password-policy.js';
import { deleteSessionsOf } from './staff-session.repo.js';
import { PASSWORD_PROBLEM_TEXT } from './staff.messages.js';
import { findStaffById, releaseAttempt, reserveAttempt, updateStaff } from './staff.repo.js';
import { hashPassword, lockUntil, MAX_FAILURES, verifyPassword } from './staff.service.js';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  newPasswordAgain: string;
}

/**
 * An operator changes their own password: the current one is required (a wrong one counts toward
 * the lockout, and a locked account cannot change it), the new one must pass the policy. Every
 * other session of the account ends; this one goes on.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  staffId: string,
  keepSession: Buffer,
  input: PasswordChange,
  now: Date,
): Promise<number> {
  const staff = await findStaffById(db, staffId);
  if (!staff || staff.password_hash === null) throw PasswordUnchangeable();
  const problem = passwordProblem(input.newPassword, staff.username);
  const fields: Record<string, string> = {};
  if (input.currentPassword === '') fields.currentPassword = PASSWORD_PROBLEM_TEXT.required;
  if (problem) fields.newPassword = PASSWORD_PROBLEM_TEXT[problem];
  else if (input.newPassword !== input.newPasswordAgain)
    fields.newPasswordAgain = PASSWORD_PROBLEM_TEXT.mismatch;
  if (Object.keys(fields).length > 0) throw FormRefused(fields);

  if (!(await reserveAttempt(db, staff.id, MAX_FAILURES, now, lockUntil(now)))) throw AccountLocked();
  if (!(await verifyPassword(staff.password_hash, input.currentPassword))) throw WrongCurrentPassword();
  await releaseAttempt(db, staff.id, MAX_FAILURES);
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await updateStaff(trx, staff.id, { password_hash: passwordHash, password_changed_at: now }, now);
    const ended = await deleteSessionsOf(trx, staff.id, keepSession);
    await recordAudit(
      trx,
      {
        staffId: staff.id,
        action: 'staff.password_changed',
        targetType: 'staff',
        targetId: staff.id,
        details: { sessionsEnded: ended },
      },
      now,
    );
    return ended;
  });
}
