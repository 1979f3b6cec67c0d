import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { doubleCsrf } from 'csrf-csrf';
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
const isDeferredUpload = (req: Request) =>
  /^multipart\/form-data/i.test(req.headers['content-type'] ?? '') &&
  uploadPaths.some((p) => p.test(req.path));

/**
 * Double-submit CSRF tokens bound to the customer's session id (empty before login), checked on
 * every POST. The form carries the token in `_csrf`.
 */
export function csrfProtection(secret: string, secure: boolean) {
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) =>
      (req.originalUrl.startsWith('/ops') ? req.operatorSessionId : req.customerSession?.sid) ?? '',
    cookieName: cookieNames(secure).csrf,
    cookieOptions: { ...baseCookieOptions(secure), sameSite: 'strict' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
    skipCsrfProtection: isDeferredUpload,
  });
}
