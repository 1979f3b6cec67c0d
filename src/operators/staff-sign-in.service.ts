import type { Kysely } from 'kysely';
import { audit } from '../audit/audit.service.js';
import type { Database } from '../platform/database.js';
import { isAppError } from '../platform/errors.js';
import { checkPassword, checkPendingSecondFactor, SignInRefused } from './staff-auth.service.js';
import type { TotpSecretBox } from './staff-crypto.js';
import type { StaffSession, StaffSessionCodec } from './staff-session.js';

/**
 * Signing in, as the console's pages do it: each step checked (staff-auth.service.ts), a new
 * session for each step passed, and every step — passed or failed — audited. The routes only
 * move cookies.
 */

type Db = Kysely<Database>;

export interface IssuedSession {
  token: string;
  session: StaffSession;
}

/**
 * The password step: a half-signed-in session (the second factor follows). A refusal is audited
 * with why (for the log only: the answer is the same for every reason) and thrown on.
 */
export async function signInWithPassword(
  db: Db,
  sessions: StaffSessionCodec,
  limits: { clientFailuresPerMinute: number },
  input: { username: string; password: string; client: string },
  now: Date,
): Promise<IssuedSession> {
  try {
    const staff = await checkPassword(db, limits, input, now);
    const issued = await sessions.issue(db, staff.id, false, now);
    const target = { targetType: 'staff', targetId: staff.id };
    await audit(
      db,
      { staffId: staff.id, action: 'staff.sign_in', ...target, details: { step: 'password' } },
      now,
    );
    return issued;
  } catch (err) {
    if (!isAppError(err)) throw err;
    const refused = err instanceof SignInRefused;
    await audit(
      db,
      {
        staffId: null,
        action: 'staff.sign_in_failed',
        ...(refused && err.staffId ? { targetType: 'staff', targetId: err.staffId } : {}),
        details: { reason: refused ? err.reason : err.code },
      },
      now,
    );
    throw err;
  }
}

export type SecondStep = { ok: true; issued: IssuedSession } | { ok: false; ended: boolean };

/**
 * The second factor of a half-signed-in session. Passed: that session ends and a full one begins
 * (a new token, never the old one promoted). Failed: audited; `ended` when the session has had
 * its last try and the caller must sign out.
 */
export async function signInSecondFactor(
  db: Db,
  box: TotpSecretBox,
  sessions: StaffSessionCodec,
  pending: { id: Buffer; staffId: string },
  code: string,
  now: Date,
): Promise<SecondStep> {
  const outcome = await checkPendingSecondFactor(db, box, pending, code, now);
  if (!outcome.ok) {
    await audit(db, { staffId: outcome.staffId, action: 'staff.totp_failed' }, now);
    return { ok: false, ended: outcome.ended };
  }
  await sessions.revoke(db, pending.id);
  const staffId = outcome.staff.id;
  const issued = await sessions.issue(db, staffId, true, now);
  const target = { targetType: 'staff', targetId: staffId };
  await audit(db, { staffId, action: 'staff.sign_in', ...target, details: { step: 'totp' } }, now);
  if (outcome.factor.kind === 'recovery') {
    const details = { remaining: outcome.factor.remaining };
    await audit(db, { staffId, action: 'staff.recovery_code_used', ...target, details }, now);
  }
  return { ok: true, issued };
}

/** Audits a sign-out (the route has ended the session and dropped its cookie). */
export async function recordSignOut(db: Db, staffId: string, now: Date): Promise<void> {
  await audit(db, { staffId, action: 'staff.sign_out' }, now);
}
