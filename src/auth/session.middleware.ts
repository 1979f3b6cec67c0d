import type { RequestHandler, Response } from 'express';
import { baseCookieOptions, cookieNames } from '../platform/http/cookies.js';
import type { SessionCodec } from './session.js';

export function readCustomerSession(codec: SessionCodec, secure: boolean, now: () => Date): RequestHandler {
  const name = cookieNames(secure).session;
  return async (req, _res, next) => {
    const token = (req.cookies as Record<string, string | undefined>)[name];
    if (token) req.customerSession = await codec.verify(token, now());
    next();
  };
}

export function setSessionCookie(res: Response, token: string, expiresAt: Date, secure: boolean): void {
  res.cookie(cookieNames(secure).session, token, { ...baseCookieOptions(secure), expires: expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(cookieNames(secure).session, baseCookieOptions(secure));
}
