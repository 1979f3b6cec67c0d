import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { doubleCsrf } from 'csrf-csrf';
import { notFound } from '../errors.js';
import { baseCookieOptions, cookieNames } from './cookies.js';

/** Strict headers: no script at all on our pages, styles and images from ourselves only. */
export function securityHeaders(secure: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * A multipart form (a file upload) carries its token in a body that only the route's upload parser
 * reads, so the app-level check cannot see it. A route that takes uploads registers its path here
 * and checks the token itself (`OpsContext.validateCsrf`) right after parsing. A multipart post to
 * any other path is still checked at app level, and fails.
 */
const uploadPaths: RegExp[] = [];
export function checkCsrfAfterUpload(path: RegExp): void {
  if (!uploadPaths.some((p) => p.source === path.source)) uploadPaths.push(path);
}
/** Path only, as the client sent it (a router below the app sees its own part in `req.path`). */
const fullPath = (req: Request) => req.originalUrl.split('?')[0] ?? '';

/** A file upload to a route that takes one: its body is parsed by the route (and may be long). */
export const isUploadRequest = (req: Request) =>
  req.method === 'POST' &&
  /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') &&
  uploadPaths.some((p) => p.test(fullPath(req)));

/**
 * Under /ops, in any case, as Express routes it (routing ignores case): the CSRF binding must pick
 * the operator's session for exactly the requests the console's routers serve. (The app also
 * refuses any spelling but `/ops` before it gets here: see `canonicalOpsPath`.)
 */
export const isOpsPath = (req: Request) => /^\/ops(?:\/|$)/i.test(fullPath(req));

/** `/OPS/…`, `/Ops/…`: refused (404), so that the console has one spelling only. */
export const canonicalOpsPath: RequestHandler = (req, _res, next) => {
  const p = fullPath(req);
  if (isOpsPath(req) && !/^\/ops(?:\/|$)/.test(p)) return next(notFound());
  next();
};

/**
 * Double-submit CSRF tokens bound to the customer's session id (empty before login), checked on
 * every POST. The form carries the token in `_csrf`.
 */
export function csrfProtection(secret: string, secure: boolean) {
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (isOpsPath(req) ? req.operatorSessionId : req.customerSession?.sid) ?? '',
    cookieName: cookieNames(secure).csrf,
    cookieOptions: { ...baseCookieOptions(secure), sameSite: 'strict' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
    skipCsrfProtection: isUploadRequest,
  });
}
