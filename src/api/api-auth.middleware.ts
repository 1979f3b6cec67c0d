import type { Request, RequestHandler } from 'express';
import { audit } from '../audit/audit.service.js';
import { SessionEnded } from '../auth/auth.errors.js';
import { sessionIsLive } from '../auth/session.service.js';
import type { Permission } from '../operators/permissions.js';
import type { ApiContext } from './api.context.js';
import { ScopeMissing } from './api.errors.js';
import { authenticateApiToken, TOKEN_PREFIX } from './api-tokens.service.js';

/** The bearer token of the Authorization header, if any. Cookies are never read below /api. */
export function bearerOf(req: Request): string | undefined {
  const m = /^Bearer +([\x21-\x7e]{1,2000})$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

/** A customer's bearer session whose row still lives, or 401 (log in again). */
export function requireCustomer(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    const token = bearerOf(req);
    const now = ctx.deps.now();
    const session =
      token && !token.startsWith(TOKEN_PREFIX) ? await ctx.sessions.verify(token, now) : undefined;
    if (!session || !(await sessionIsLive(ctx.deps.db, session, now))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="owabi"');
      return next(SessionEnded());
    }
    req.apiCustomer = session;
    next();
  };
}

/** An operator token (any scope): 401 for anything not live. */
export function requireToken(ctx: ApiContext): RequestHandler {
  return async (req, res, next) => {
    try {
      req.apiCaller = await authenticateApiToken(ctx.deps.db, bearerOf(req) ?? '', ctx.deps.now());
      next();
    } catch (err) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="owabi-ops"');
      next(err);
    }
  };
}

/**
 * The token's scope must include the permission; the use is audited either way, as the token's
 * creator, with the token's id (never the request's data): `action` on success,
 * `api.scope_refused` when refused.
 */
export function requireScope(ctx: ApiContext, permission: Permission, action: ApiAction): RequestHandler {
  return async (req, _res, next) => {
    const caller = req.apiCaller!;
    const allowed = caller.scopes.includes(permission);
    const event = {
      staffId: caller.staffId,
      action: allowed ? action : 'api.scope_refused',
      targetType: 'api_token',
      targetId: caller.tokenId,
      details: allowed ? { tokenId: caller.tokenId } : { tokenId: caller.tokenId, refusedAction: action },
    };
    await audit(ctx.deps.db, event, ctx.deps.now());
    next(allowed ? undefined : ScopeMissing());
  };
}

/** Every operator operation of the API, as its audit action. */
export type ApiAction =
  'api.customer_lookup' | 'api.postcard_entry' | 'api.suppression_read' | 'api.report_view';
