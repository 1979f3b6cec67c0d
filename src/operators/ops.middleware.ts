import type { RequestHandler, Response } from 'express';
import type { CookieOptions } from 'express';
import { AppError } from '../platform/errors.js';
import type { AppDeps } from '../platform/deps.js';
import { can, requiresTotp, type Permission } from './permissions.js';
import type { StaffSessionCodec } from './staff-session.js';
import { getActiveStaff } from './staff.service.js';
import type { Role } from './staff.table.js';

export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  mfa: boolean;
  hasTotp: boolean;
}

export function staffCookie(secure: boolean): { name: string; options: CookieOptions } {
  // __Host- cookies must have path=/; without HTTPS the cookie is confined to /ops instead.
  return secure
    ? { name: '__Host-owabi_staff', options: { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } }
    : { name: 'owabi_staff', options: { httpOnly: true, secure: false, sameSite: 'strict', path: '/ops' } };
}

export function setStaffCookie(res: Response, token: string, expires: Date, secure: boolean) {
  const c = staffCookie(secure);
  res.cookie(c.name, token, { ...c.options, expires });
}

export function clearStaffCookie(res: Response, secure: boolean) {
  const c = staffCookie(secure);
  res.clearCookie(c.name, c.options);
}

/**
 * Reads the operator's session and reloads the account on every request, so that disabling it or
 * changing its role takes effect on the very next request.
 */
export function readStaffSession(
  codec: StaffSessionCodec,
  deps: Pick<AppDeps, 'db' | 'now' | 'config'>,
): RequestHandler {
  const { name } = staffCookie(deps.config.SECURE_COOKIES);
  return async (req, res, next) => {
    const token = (req.cookies as Record<string, string | undefined>)[name];
    if (!token) return next();
    const session = await codec.verify(token, deps.now());
    const staff = session && (await getActiveStaff(deps.db, session.staffId, deps.now()));
    if (!session || !staff) {
      clearStaffCookie(res, deps.config.SECURE_COOKIES);
      return next();
    }
    req.operatorSessionId = session.sid;
    req.staff = {
      id: staff.id,
      username: staff.username,
      displayName: staff.display_name,
      role: staff.role,
      mfa: session.mfa,
      hasTotp: staff.totp_secret !== null,
    };
    res.locals.staff = req.staff;
    next();
  };
}

/** Signed in, and past the second factor where the role needs one. */
export const requireStaff: RequestHandler = (req, res, next) => {
  const staff = req.staff;
  if (!staff) return res.redirect(303, '/ops/login');
  if (requiresTotp(staff.role) || staff.hasTotp) {
    if (!staff.hasTotp) return res.redirect(303, '/ops/account/totp');
    if (!staff.mfa) return res.redirect(303, '/ops/login/totp');
  }
  next();
};

export function requirePermission(permission: Permission | null): RequestHandler {
  return (req, _res, next) => {
    if (permission && !can(req.staff!.role, permission)) {
      return next(new AppError('forbidden', 'この操作を行う権限がありません。'));
    }
    next();
  };
}
