import type { Request, RequestHandler, Response } from 'express';
import { CATALOGUES, type Catalogue, type Lang } from '../../messages/catalogue.js';
import type { AppError } from '../errors.js';
import { baseCookieOptions } from './cookies.js';

/** The languages offered, the default first. */
export const LANGS = Object.keys(CATALOGUES) as Lang[];
export const DEFAULT_LANG: Lang = 'ja';
/** Holds only `ja` or `en`: a preference, no personal data. */
export const LANG_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares its Locals this way
  namespace Express {
    interface Locals {
      /** The page's language (`<html lang>`). */
      lang: Lang;
      /** The page's catalogue: `t.auth.failed`. */
      t: Catalogue;
      /** Per language, this page's address with `?lang=` (the switch link). */
      langLinks: Record<Lang, string>;
    }
  }
}

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && Object.hasOwn(CATALOGUES, v);

/** The reader's language: the `lang` cookie (set by the switch link), else Accept-Language, else Japanese. */
export function languageOf(req: Request): Lang {
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[LANG_COOKIE];
  if (isLang(cookie)) return cookie;
  const accepted = req.acceptsLanguages(...LANGS);
  return isLang(accepted) ? accepted : DEFAULT_LANG;
}

/** Splits a request URL into a same-site path (never `//host`) and its query without `lang`. */
function splitUrl(originalUrl: string): { path: string; query: URLSearchParams } {
  const q = originalUrl.indexOf('?');
  const rawPath = q === -1 ? originalUrl : originalUrl.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : originalUrl.slice(q + 1));
  query.delete(LANG_COOKIE);
  // Only a path on this site: an absolute-form request line (GET http://host/…) or //host or /\\host
  // would otherwise turn the switch into an open redirect.
  const path = rawPath.startsWith('/') ? rawPath.replace(/^[/\\]+/, '/') : '/';
  return { path, query };
}

/** The same address without `?lang=` (where the switch link redirects to). */
export function withoutLang(originalUrl: string): string {
  const { path, query } = splitUrl(originalUrl);
  const rest = query.toString();
  return rest ? `${path}?${rest}` : path;
}

/** The same address with `?lang=<lang>`, other parameters kept. */
export function withLang(originalUrl: string, lang: Lang): string {
  const { path, query } = splitUrl(originalUrl);
  query.set(LANG_COOKIE, lang);
  return `${path}?${query.toString()}`;
}

/** Puts the language and its catalogue where views and routes read them. */
export function useLanguage(req: Request, res: Response, lang: Lang): void {
  res.locals.lang = lang;
  const t = CATALOGUES[lang];
  res.locals.t = t;
  // The views' amount and date helpers write as the page's language does.
  Object.assign(res.locals, { yen: t.format.yen, jstDate: t.format.date, jstDateTime: t.format.dateTime });
  const url =
    req.method === 'GET' || req.method === 'HEAD' ? req.originalUrl : req.originalUrl.split('?')[0]!;
  res.locals.langLinks = Object.fromEntries(LANGS.map((l) => [l, withLang(url, l)])) as Record<Lang, string>;
  res.setHeader('Content-Language', lang);
  res.vary('Accept-Language');
}

/** The catalogue of the response's language (Japanese before the language middleware ran). */
export function catalogueOf(res: Response): Catalogue {
  return (res.locals.t as Catalogue | undefined) ?? CATALOGUES[DEFAULT_LANG];
}

/** The response's language. */
export function langOf(res: Response): Lang {
  return (res.locals.lang as Lang | undefined) ?? DEFAULT_LANG;
}

/** An error's text in the catalogue's language (a plain-string error keeps its own text). */
export const messageIn = (error: AppError, c: Catalogue): string =>
  error.text ? error.text(c) : error.publicMessage;

/**
 * Chooses the language of every page. `?lang=en` on a GET (the switch link, no JavaScript needed)
 * only stores the choice in the `lang` cookie and redirects to the same address without it, so a
 * link can change nothing else. `fixed` requests (the console) stay in Japanese.
 */
export function language(secure: boolean, fixed: (req: Request) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    if (fixed(req)) {
      useLanguage(req, res, DEFAULT_LANG);
      return next();
    }
    const asked = req.query[LANG_COOKIE];
    if (asked !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      if (isLang(asked)) {
        res.cookie(LANG_COOKIE, asked, { ...baseCookieOptions(secure), maxAge: ONE_YEAR_MS });
      }
      return res.redirect(303, withoutLang(req.originalUrl));
    }
    useLanguage(req, res, languageOf(req));
    next();
  };
}
