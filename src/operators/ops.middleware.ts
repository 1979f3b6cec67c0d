import type { Request, RequestHandler, Response } from 'express';
import type { CookieOptions } from 'express';
import type { AppDeps } from '../platform/deps.js';
import { NoPermission } from './operators.errors.js';
import { can, type Permission } from './permissions.js';
import type { StaffSessionCodec } from './staff-session.js';
import type { Role } from './staff.table.js';

export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The session has passed the second factor (false: half signed in). */
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

/** The id (staff_sessions.id) of the session this request came with, if it is live. */
export const sessionIdOf = (req: Request): Buffer | undefined =>
  req.operatorSessionId ? Buffer.from(req.operatorSessionId, 'hex') : undefined;

/**
 * Looks the cookie's session up in the database and reloads its account on every request: a
 * session ended by logout, a timeout, a reset or a disabled account opens nothing, and a role
 * change takes effect on the very next request. A lockout does not end a session.
 */
export function readStaffSession(
  codec: StaffSessionCodec,
  deps: Pick<AppDeps, 'db' | 'now' | 'config'>,
): RequestHandler {
  const { name } = staffCookie(deps.config.SECURE_COOKIES);
  return async (req, res, next) => {
    const token = (req.cookies as Record<string, string | undefined>)[name];
    if (!token) return next();
    const found = await codec.verify(deps.db, token, deps.now());
    if (!found) {
      clearStaffCookie(res, deps.config.SECURE_COOKIES);
      return next();
    }
    const { session, staff } = found;
    // Binds the forms' CSRF tokens to this session (security.ts); never sent to the browser.
    req.operatorSessionId = session.id.toString('hex');
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

/** Signed in with both factors; half signed in goes to the second factor. */
export const requireStaff: RequestHandler = (req, res, next) => {
  const staff = req.staff;
  if (!staff) return res.redirect(303, '/ops/login');
  if (!staff.mfa) return res.redirect(303, '/ops/login/totp');
  next();
};

export function requirePermission(permission: Permission | null): RequestHandler {
  return (req, _res, next) => {
    if (permission && !can(req.staff!.role, permission)) {
      return next(NoPermission());
    }
    next();
  };
}
