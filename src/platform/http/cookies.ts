import type { CookieOptions } from 'express';

/** Cookie names and options; `__Host-` only works over HTTPS, so it follows SECURE_COOKIES. */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}owabi_session`, csrf: `${prefix}owabi_csrf` };
}

export function baseCookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/' };
}
