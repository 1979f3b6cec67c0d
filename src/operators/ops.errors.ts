import type { Request, Response } from 'express';
import { CONSOLE_JA } from '../messages/console.js';
import { notFound, type AppError } from '../platform/errors.js';
import type { StaffPrincipal } from './ops.middleware.js';
import { menuFor, sectionOf } from './ops.menu.js';
import { OPS_ERROR_TEXT, OPS_ERROR_TITLES, type OpsErrorStatus } from './ops.messages.js';
import { OPS_ROUTES } from './ops.registry.js';
import { can, requiresTotp, ROLE_LABELS, ROLES, type Permission } from './permissions.js';

/** Set by the console's router for a signed-in operator: a CSRF token for the sign-out form. */
export const OPS_CSRF_LOCAL = 'opsCsrfToken';

/** Under /ops, in any case as Express routes it (the path only: a query string names nothing). */
export const isOpsRequest = (req: Request) => /^\/ops(?:\/|$)/i.test(req.originalUrl.split('?')[0] ?? '');

/** Past the sign-in and, where the account needs it, the second factor (as `requireStaff` decides). */
function signedIn(staff: StaffPrincipal | undefined): staff is StaffPrincipal {
  if (!staff) return false;
  if (requiresTotp(staff.role) || staff.hasTotp) return staff.hasTotp && staff.mfa;
  return true;
}

/** The permission of the operator route that refused, from the registry every route is declared in. */
function permissionOf(req: Request): Permission | null {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return null;
  const method = req.method.toLowerCase();
  return OPS_ROUTES.find((r) => r.path === path && r.method === method)?.permission ?? null;
}

/**
 * An AppError thrown by the console says what it means; errors the handler mapped (a stale form,
 * a crash, the database away) get the console's wording instead of the customer's.
 */
function messageOf(error: AppError, mapped: boolean): string {
  if (mapped && (error.code === 'csrf' || error.code === 'internal' || error.code === 'unavailable'))
    return OPS_ERROR_TEXT[error.code];
  // "ページが見つかりません。" under the heading of the same words says nothing more.
  if (error.code === 'not_found' && error.publicMessage === notFound().publicMessage)
    return OPS_ERROR_TEXT.notFound;
  return error.publicMessage;
}

interface BackLink {
  href: string;
  label: string;
}

function backLinks(req: Request, staff: StaffPrincipal | null): BackLink[] {
  if (!staff) return [{ href: '/ops/login', label: OPS_ERROR_TEXT.signIn }];
  const links: BackLink[] = [];
  const section = sectionOf(req.originalUrl);
  const here = req.originalUrl.split('?')[0]?.replace(/\/$/, '');
  if (section && can(staff.role, section.permission) && section.href !== here)
    links.push({ href: section.href, label: OPS_ERROR_TEXT.backToSection(section.label) });
  links.push({ href: '/ops', label: OPS_ERROR_TEXT.backHome });
  return links;
}

/**
 * An error under /ops, shown in the console's layout: its menu for the signed-in operator, for a
 * refusal the roles that may open the page, and a way back. Someone not signed in gets the console
 * header and a link to the sign-in page only. `mapped`: the error was not an AppError when thrown.
 */
export function renderOpsError(req: Request, res: Response, error: AppError, mapped: boolean): void {
  const staff = signedIn(req.staff) ? req.staff : null;
  const permission = staff && error.code === 'forbidden' ? permissionOf(req) : null;
  const status = (error.status in OPS_ERROR_TITLES ? error.status : 500) as OpsErrorStatus;
  const token = res.locals[OPS_CSRF_LOCAL] as (() => string) | undefined;
  res.render('ops/error', {
    o: CONSOLE_JA,
    pageTitle: OPS_ERROR_TITLES[status],
    heading: OPS_ERROR_TITLES[status],
    message: messageOf(error, mapped),
    neededRoles: permission
      ? OPS_ERROR_TEXT.neededRoles(ROLES.filter((r) => can(r, permission)).map((r) => ROLE_LABELS[r]))
      : null,
    yourRole: permission && staff ? OPS_ERROR_TEXT.yourRole(ROLE_LABELS[staff.role]) : null,
    askAdmin: permission ? OPS_ERROR_TEXT.askAdmin : null,
    back: backLinks(req, staff),
    backLabel: OPS_ERROR_TEXT.backLabel,
    staff,
    menu: staff ? menuFor(staff.role) : [],
    alerts: staff ? (res.locals.alerts ?? []) : [],
    csrfToken: staff && token ? token() : null,
  });
}
