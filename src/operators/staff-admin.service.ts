import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Database } from '../platform/database.js';
import {
  CannotDisableSelf,
  DisabledNoReset,
  NotManageable,
  RoleNotGrantable,
  StaffNotFound,
} from './operators.errors.js';
import { canManage, grantableRoles } from './permissions.js';
import type { TotpSecretBox } from './staff-crypto.js';
import { replaceRecoveryCodes, staffWithOpenLinks, voidLinksOf } from './staff-enrolment.repo.js';
import { issueEnrolmentLink } from './staff-enrolment.service.js';
import { deleteSessionsOf } from './staff-session.repo.js';
import { clearFailures, findStaffById, listStaff, updateStaff } from './staff.repo.js';
import { createStaff } from './staff.service.js';
import type { Role, StaffRow } from './staff.table.js';

/**
 * Changes to staff accounts, each audited in the transaction that makes it. Who may do what:
 * an administrator anything; a supervisor creates and changes clerks only and never touches a
 * password or second factor (routes with the `staff_admin` permission). Nobody chooses another
 * person's password: a new account and every reset get a one-time enrolment link instead.
 */
export interface Actor {
  id: string;
  role: Role;
}

export interface IssuedLink {
  staffId: string;
  username: string;
  token: string;
  expiresAt: Date;
}

/** Every account as this operator sees it: locked now, with a link open, and whether they may change it. */
export async function staffOverview(db: Kysely<Database>, actor: Actor, now: Date) {
  const links = await staffWithOpenLinks(db, now);
  return (await listStaff(db)).map((s) => ({
    ...s,
    locked: s.locked_until !== null && s.locked_until > now,
    linkOpen: links.has(s.id),
    manageable: canManage(actor.role, s.role),
  }));
}

/** The account, if this operator may change it. */
export async function manageable(db: Kysely<Database>, actor: Actor, id: string): Promise<StaffRow> {
  const target = /^\d{1,18}$/.test(id) ? await findStaffById(db, id) : undefined;
  if (!target) throw StaffNotFound();
  if (!canManage(actor.role, target.role)) throw NotManageable();
  return target;
}

export async function createStaffWithLink(
  db: Kysely<Database>,
  box: TotpSecretBox,
  actor: Actor,
  input: { username: string; displayName: string; role: Role },
  now: Date,
): Promise<IssuedLink> {
  if (!grantableRoles(actor.role).includes(input.role)) throw RoleNotGrantable();
  return db.transaction().execute(async (trx) => {
    const id = await createStaff(trx, input);
    const link = await issueEnrolmentLink(trx, box, id, actor.id, now);
    await recordAudit(
      trx,
      {
        staffId: actor.id,
        action: 'staff.create',
        targetType: 'staff',
        targetId: id,
        details: { role: input.role, expiresAt: link.expiresAt.toISOString() },
      },
      now,
    );
    return { staffId: id, username: input.username, ...link };
  });
}

export async function changeRole(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  role: Role,
  reason: string,
  now: Date,
): Promise<void> {
  const target = await manageable(db, actor, id);
  if (!grantableRoles(actor.role).includes(role)) throw RoleNotGrantable();
  await db.transaction().execute(async (trx) => {
    await updateStaff(trx, target.id, { role }, now);
    await recordAudit(
      trx,
      {
        staffId: actor.id,
        action: 'staff.role_change',
        targetType: 'staff',
        targetId: target.id,
        reason,
        details: { from: target.role, to: role },
      },
      now,
    );
  });
}

/** Disabling ends the account's sessions and voids its open enrolment link at once. */
export async function setDisabled(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  disabled: boolean,
  reason: string | null,
  now: Date,
): Promise<void> {
  const target = await manageable(db, actor, id);
  if (target.id === actor.id) throw CannotDisableSelf();
  await db.transaction().execute(async (trx) => {
    await updateStaff(trx, target.id, { disabled_at: disabled ? now : null }, now);
    const ended = disabled ? await deleteSessionsOf(trx, target.id) : 0;
    if (disabled) await voidLinksOf(trx, target.id, now);
    await recordAudit(
      trx,
      {
        staffId: actor.id,
        action: disabled ? 'staff.disable' : 'staff.enable',
        targetType: 'staff',
        targetId: target.id,
        reason,
        details: disabled ? { sessionsEnded: ended } : {},
      },
      now,
    );
  });
}

export type Reset = 'password' | 'totp';

/**
 * An administrator's reset: the password (or the second factor and its recovery codes) is
 * removed, every session of the account ends, and a new enrolment link is issued; its owner sets
 * the factor again through it, proving the factor they kept.
 */
export async function resetFactor(
  db: Kysely<Database>,
  box: TotpSecretBox,
  actor: Actor,
  id: string,
  which: Reset,
  reason: string | null,
  now: Date,
): Promise<IssuedLink> {
  const target = await manageable(db, actor, id);
  if (target.disabled_at) throw DisabledNoReset();
  return db.transaction().execute(async (trx) => {
    if (which === 'password')
      await updateStaff(trx, target.id, { password_hash: null, password_changed_at: null }, now);
    else {
      await updateStaff(trx, target.id, { totp_secret: null, totp_last_step: null }, now);
      await replaceRecoveryCodes(trx, target.id, [], now);
    }
    const ended = await deleteSessionsOf(trx, target.id);
    const link = await issueEnrolmentLink(trx, box, target.id, actor.id, now);
    await recordAudit(
      trx,
      {
        staffId: actor.id,
        action: which === 'password' ? 'staff.password_reset' : 'staff.totp_reset',
        targetType: 'staff',
        targetId: target.id,
        reason,
        details: { sessionsEnded: ended, expiresAt: link.expiresAt.toISOString() },
      },
      now,
    );
    return { staffId: target.id, username: target.username, ...link };
  });
}

/** Lifts a lockout (the failures counted so far are forgotten); sessions are untouched. */
export async function unlock(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  reason: string | null,
  now: Date,
): Promise<void> {
  const target = await manageable(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await clearFailures(trx, target.id, now);
    await recordAudit(
      trx,
      { staffId: actor.id, action: 'staff.unlock', targetType: 'staff', targetId: target.id, reason },
      now,
    );
  });
}
