import type { Kysely } from 'kysely';
import { audit, recordAudit } from '../audit/audit.service.js';
import type { Database, Db } from '../platform/database.js';
import { EnrolmentLinkInvalid, FormRefused, KeptFactorNotProven } from './operators.errors.js';
import { passwordProblem } from './password-policy.js';
import { linkTokenHash, randomToken, type TotpSecretBox } from './staff-crypto.js';
import { consumeLink, findUsableLink, insertEnrolmentLink, voidLinksOf } from './staff-enrolment.repo.js';
import {
  checkSecondFactor,
  hashRecoveryCodes,
  newRecoveryCodes,
  storeRecoveryCodes,
} from './staff-recovery.service.js';
import { deleteSessionsOf } from './staff-session.repo.js';
import { matchTotpStep, newTotpSecret } from './staff-totp.js';
import { storeTotpSecret } from './staff-totp.service.js';
import { ENROL_TEXT, PASSWORD_PROBLEM_TEXT } from './staff.messages.js';
import { clearFailures, findStaffById, reserveAttempt, updateStaff } from './staff.repo.js';
import { hashPassword, lockUntil, MAX_FAILURES, verifyPassword } from './staff.service.js';
import type { StaffRow } from './staff.table.js';

/**
 * One-time enrolment links: how a new account gets its password and second factor, and how an
 * account gets them back after an administrator's reset. Only the token's SHA-256 is stored; a
 * link works once, for 24 hours, and a newer link voids older ones. It carries the token in the
 * query string, which the request log never records.
 */
export const ENROLMENT_LINK_HOURS = 24;

export const enrolmentPath = (token: string) => `/ops/enrol?t=${token}`;

export async function issueEnrolmentLink(
  db: Db,
  box: TotpSecretBox,
  staffId: string,
  createdBy: string | null,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  await voidLinksOf(db, staffId, now);
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ENROLMENT_LINK_HOURS * 3_600_000);
  await insertEnrolmentLink(db, {
    token_hash: linkTokenHash(token),
    staff_id: staffId,
    totp_secret: box.seal(newTotpSecret(), staffId),
    created_by: createdBy,
    created_at: now,
    expires_at: expiresAt,
  });
  return { token, expiresAt };
}

export interface OpenEnrolment {
  staff: StaffRow;
  expiresAt: Date;
  /** What the account lacks and sets here; what it kept must be proven instead. */
  needs: { password: boolean; totp: boolean };
  /** The TOTP secret offered (needs.totp only). */
  secret: string | null;
}

/** The enrolment a token opens, or undefined: unknown, used, expired, replaced, account disabled. */
export async function openEnrolment(
  db: Db,
  box: TotpSecretBox,
  token: string,
  now: Date,
): Promise<OpenEnrolment | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const link = await findUsableLink(db, linkTokenHash(token), now);
  const staff = link && (await findStaffById(db, link.staff_id));
  if (!link || !staff || staff.disabled_at) return undefined;
  const needs = { password: staff.password_hash === null, totp: staff.totp_secret === null };
  if (!needs.password && !needs.totp) return undefined;
  const secret = needs.totp ? box.open(link.totp_secret, staff.id) : null;
  return { staff, expiresAt: link.expires_at, needs, secret };
}

export interface EnrolmentInput {
  newPassword: string;
  newPasswordAgain: string;
  newCode: string;
  currentPassword: string;
  currentCode: string;
}

function checkNewValues(e: OpenEnrolment, input: EnrolmentInput, now: Date) {
  const fields: Record<string, string> = {};
  if (e.needs.password) {
    const problem = passwordProblem(input.newPassword, e.staff.username);
    if (problem) fields.newPassword = PASSWORD_PROBLEM_TEXT[problem];
    else if (input.newPassword !== input.newPasswordAgain)
      fields.newPasswordAgain = PASSWORD_PROBLEM_TEXT.mismatch;
  }
  const step = e.secret === null ? null : matchTotpStep(e.secret, input.newCode.trim(), now);
  if (e.needs.totp && step === null) fields.newCode = ENROL_TEXT.wrongCode;
  if (Object.keys(fields).length > 0) throw FormRefused(fields);
  return step;
}

/**
 * The factor the account kept, proven by its owner; each try counts toward the lockout, and a
 * failed one is audited (someone holds a link and not the factor).
 */
async function proveKeptFactor(
  db: Kysely<Database>,
  box: TotpSecretBox,
  e: OpenEnrolment,
  input: EnrolmentInput,
  now: Date,
) {
  const reserved = await reserveAttempt(db, e.staff.id, MAX_FAILURES, now, lockUntil(now));
  const proven =
    reserved &&
    (e.needs.password
      ? (await checkSecondFactor(db, box, e.staff, input.currentCode, now)) !== null
      : await verifyPassword(e.staff.password_hash, input.currentPassword));
  if (!proven) {
    const target = { targetType: 'staff', targetId: e.staff.id };
    await audit(db, { staffId: null, action: 'staff.enrolment_failed', ...target }, now);
    throw KeptFactorNotProven(e.needs.password ? 'currentCode' : 'currentPassword');
  }
}

/**
 * Sets what the account lacks, uses the link up (once, even for two parallel submissions), ends
 * the account's sessions, clears its lockout and audits it. Returns the new recovery codes, to be
 * shown once, when a second factor was enrolled.
 */
export async function completeEnrolment(
  db: Kysely<Database>,
  box: TotpSecretBox,
  token: string,
  input: EnrolmentInput,
  now: Date,
): Promise<{ staff: StaffRow; recoveryCodes: string[] | null }> {
  const e = await openEnrolment(db, box, token, now);
  if (!e) throw EnrolmentLinkInvalid();
  const step = checkNewValues(e, input, now);
  if (!e.needs.password || !e.needs.totp) await proveKeptFactor(db, box, e, input, now);
  const passwordHash = e.needs.password ? await hashPassword(input.newPassword) : null;
  const recoveryCodes = e.needs.totp ? newRecoveryCodes() : null;
  const recoveryHashes = recoveryCodes ? await hashRecoveryCodes(recoveryCodes) : [];
  await db.transaction().execute(async (trx) => {
    if ((await consumeLink(trx, linkTokenHash(token), now)) !== e.staff.id) throw EnrolmentLinkInvalid();
    const id = e.staff.id;
    if (passwordHash) {
      await updateStaff(trx, id, { password_hash: passwordHash, password_changed_at: now }, now);
      await recordAudit(
        trx,
        { staffId: id, action: 'staff.password_set', targetType: 'staff', targetId: id },
        now,
      );
    }
    if (e.secret !== null && recoveryCodes) {
      await storeTotpSecret(trx, box, id, e.secret, step, now);
      await storeRecoveryCodes(trx, id, recoveryHashes, now);
      await recordAudit(
        trx,
        { staffId: id, action: 'staff.totp_enrolled', targetType: 'staff', targetId: id },
        now,
      );
    }
    await clearFailures(trx, id, now);
    await deleteSessionsOf(trx, id);
    await voidLinksOf(trx, id, now);
  });
  return { staff: e.staff, recoveryCodes };
}
