import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { AppError, isAppError, notFound } from '../errors.js';
import { safeError, stackFrames } from '../safe-errors.js';
import { catalogueOf, languageOf, messageIn, useLanguage } from './language.js';
import { routeOf } from './route-of.js';

/** A part of the site that shows its errors in its own layout (the operators' console). */
export interface ErrorArea {
  matches(req: Request): boolean;
  /** `unexpected`: the error was not an AppError (a crash), so its details stay in the log. */
  render(req: Request, res: Response, error: AppError, unexpected: boolean): void;
}

const DB_UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '08006',
  '08001',
  '53300',
]);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && DB_UNAVAILABLE_CODES.has(e.code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated/i.test(e.message ?? '');
}

/** Maps anything thrown to an AppError that is safe to show. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as { code?: string; type?: string; status?: number } | undefined;
  if (e?.code === 'EBADCSRFTOKEN') {
    return new AppError('csrf', (c) => c.common.csrf);
  }
  // Every body-parser refusal (too large, unparsable, an unknown charset or Content-Encoding: 415)
  // is the client's: a clear 400, never a 500 with a log line anyone could trigger at will.
  const bodyParserRefusal = typeof e?.type === 'string' && (e.status ?? 0) >= 400 && (e.status ?? 0) < 500;
  if (bodyParserRefusal || e?.status === 400) {
    return new AppError('validation', (c) => c.common.unreadableRequest);
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('unavailable', (c) => c.common.unavailable, { cause: err });
  }
  return new AppError('internal', (c) => c.common.internal, { cause: err });
}

/**
 * Only what helps an engineer: type, code and stack frames. Never the request body, a URL query, nor
 * a message: a pg error's `message` and `detail` quote the values it refused.
 */
function loggableError(err: unknown) {
  return { ...safeError(err), frames: stackFrames(err) };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

export function errorHandler(logger: Logger, areas: ErrorArea[] = []): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      logger.error({ err: loggableError(appError.cause ?? err), path: routeOf(req) }, 'request failed');
    }
    if (res.headersSent) return;
    // An error raised before the language middleware ran is still shown in the reader's language.
    if (!res.locals.t) useLanguage(req, res, languageOf(req));
    const message = messageIn(appError, catalogueOf(res));
    res.status(appError.status);
    if (appError.code === 'unavailable') res.setHeader('Retry-After', '30');
    if (req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json') {
      res.json({ error: { code: appError.code, message, fields: appError.fields } });
      return;
    }
    const area = areas.find((a) => a.matches(req));
    if (area) return area.render(req, res, appError, !isAppError(err));
    res.render('error', { error: appError, message, campaign: res.locals.campaign ?? req.campaign ?? null });
  };
}
