import type { Db } from '../platform/database.js';
import { AppError } from '../platform/errors.js';
import { ClientThrottled, NoSecondFactor } from './operators.errors.js';
import type { TotpSecretBox } from './staff-crypto.js';
import { checkSecondFactor, type SecondFactor } from './staff-recovery.service.js';
import { reserveSecondFactorAttempt } from './staff-session.repo.js';
import { releaseClientAttempt, reserveClientAttempt } from './staff-throttle.repo.js';
import { SIGN_IN_TEXT } from './staff.messages.js';
import {
  clearFailures,
  findStaffById,
  findStaffByUsername,
  releaseAttempt,
  reserveAttempt,
} from './staff.repo.js';
import { lockUntil, MAX_FAILURES, verifyPassword } from './staff.service.js';
import type { StaffRow } from './staff.table.js';

/** Why a password step failed: for the audit log only, never for the answer. */
export type SignInFailure = 'unknown' | 'disabled' | 'not_enrolled' | 'locked' | 'wrong_password';

/** The one answer of every failed password step (same text, same status 401). */
export class SignInRefused extends AppError {
  constructor(
    readonly reason: SignInFailure,
    readonly staffId: string | null,
  ) {
    super('unauthenticated', SIGN_IN_TEXT.failed);
  }
}

/**
 * The password step. The client address and then the account each give one attempt before the
 * password is checked (atomic counters), and every path costs one argon2 verification — against
 * a dummy hash when the user is unknown, disabled, not enrolled or locked — so neither the answer
 * nor its time tells them apart. A right password gives its attempts back.
 */
export async function checkPassword(
  db: Db,
  limits: { clientFailuresPerMinute: number },
  input: { username: string; password: string; client: string },
  now: Date,
): Promise<StaffRow> {
  const clientCount = await reserveClientAttempt(db, input.client, now);
  if (clientCount > limits.clientFailuresPerMinute) throw ClientThrottled();
  const staff = await findStaffByUsername(db, input.username);
  const usable = staff && !staff.disabled_at && staff.password_hash !== null ? staff : undefined;
  const reserved = usable ? await reserveAttempt(db, usable.id, MAX_FAILURES, now, lockUntil(now)) : false;
  const ok = await verifyPassword(reserved ? usable!.password_hash : null, input.password);
  if (!ok || !usable) {
    const reason: SignInFailure = !staff
      ? 'unknown'
      : staff.disabled_at
        ? 'disabled'
        : staff.password_hash === null
          ? 'not_enrolled'
          : reserved
            ? 'wrong_password'
            : 'locked';
    throw new SignInRefused(reason, staff?.id ?? null);
  }
  await releaseAttempt(db, usable.id, MAX_FAILURES);
  await releaseClientAttempt(db, input.client, now);
  if (!usable.totp_secret) throw NoSecondFactor();
  return usable;
}

export type SecondFactorOutcome =
  { ok: true; staff: StaffRow; factor: SecondFactor } | { ok: false; ended: boolean; staffId: string };

/**
 * The second step of a half-signed-in session. Each attempt is counted on the session (five end
 * it) and on the account (towards its lockout) before the code is checked; a locked account's
 * code is not checked at all. Success clears the account's count.
 */
export async function checkPendingSecondFactor(
  db: Db,
  box: TotpSecretBox,
  session: { id: Buffer; staffId: string },
  input: string,
  now: Date,
): Promise<SecondFactorOutcome> {
  const n = await reserveSecondFactorAttempt(db, session.id, MAX_FAILURES);
  if (n === undefined) return { ok: false, ended: true, staffId: session.staffId };
  const staff = await findStaffById(db, session.staffId);
  const reserved = staff ? await reserveAttempt(db, staff.id, MAX_FAILURES, now, lockUntil(now)) : false;
  const factor = staff && reserved ? await checkSecondFactor(db, box, staff, input, now) : null;
  if (staff && factor) {
    await clearFailures(db, staff.id, now);
    return { ok: true, staff, factor };
  }
  return { ok: false, ended: n >= MAX_FAILURES, staffId: session.staffId };
}
