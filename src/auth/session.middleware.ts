import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../platform/database.js';
import { baseCookieOptions, cookieNames } from '../platform/http/cookies.js';
import type { SessionCodec } from './session.js';
import { sessionIsLive } from './session.service.js';

/** Reads the signed token: who the cookie says this is (not yet whether the session still lives). */
export function readCustomerSession(codec: SessionCodec, secure: boolean, now: () => Date): RequestHandler {
  const name = cookieNames(secure).session;
  return async (req, _res, next) => {
    const token = (req.cookies as Record<string, string | undefined>)[name];
    if (token) req.customerSession = await codec.verify(token, now());
    next();
  };
}

/**
 * Drops a session that was ended on the server (logout, a new login key, an erasure) or expired:
 * one primary-key lookup per request that carries a session. Runs before every customer page
 * that needs a login; the request then continues as a visitor. A page whose own (single) query
 * checks the session as well (`checkedByPage`: the customer's status pages) skips the lookup here
 * and calls `dropDeadSession` when its query finds the session gone.
 */
export function requireLiveSession(
  db: Db,
  secure: boolean,
  now: () => Date,
  checkedByPage: (req: Request) => boolean = () => false,
): RequestHandler {
  return async (req, res, next) => {
    const session = req.customerSession;
    if (!session || checkedByPage(req) || (await sessionIsLive(db, session, now()))) return next();
    dropDeadSession(req, res, secure);
    next();
  };
}

/** The request goes on as a visitor's, and the browser forgets the ended session's cookie. */
export function dropDeadSession(req: Request, res: Response, secure: boolean): void {
  req.customerSession = undefined;
  res.locals.loggedIn = false;
  clearSessionCookie(res, secure);
}

export function setSessionCookie(res: Response, token: string, expiresAt: Date, secure: boolean): void {
  res.cookie(cookieNames(secure).session, token, { ...baseCookieOptions(secure), expires: expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(cookieNames(secure).session, baseCookieOptions(secure));
}
