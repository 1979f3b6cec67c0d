import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../platform/logger.js';
import { AppError, notFound } from '../platform/errors.js';
import { toAppError } from '../platform/http/error-handler.js';
import { routeOf } from '../platform/http/route-of.js';
import { safeError, stackFrames } from '../platform/safe-errors.js';
import { sendProblem } from './problem.js';

/** Anything below /api that no route answered: a problem, never the customer's error page. */
export const apiNotFound: RequestHandler = (_req, _res, next) => next(notFound());

/**
 * A body the parser refused before any route ran (body-parser's http-errors: an unknown
 * Content-Encoding or charset, a wrong length): the client's mistake, a 400 like any unreadable
 * body, never a 500 with an error in the log that any client could write at will.
 */
function isRefusedBody(err: unknown): boolean {
  const e = err as { type?: unknown; status?: unknown } | undefined;
  return typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500;
}

/**
 * The API's error handler: every domain error (AppError, recognised by code or by its factory's
 * `.is()`) becomes a problem with the page's message; body-parser failures a 400; anything else a
 * 500 whose details stay in the log (type, code and frames only, never a value).
 */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = isRefusedBody(err)
      ? new AppError('validation', (c) => c.common.unreadableRequest)
      : toAppError(err);
    if (error.status >= 500) {
      const cause = error.cause ?? err;
      logger.error(
        { err: { ...safeError(cause), frames: stackFrames(cause) }, path: routeOf(req) },
        'api request failed',
      );
    }
    if (res.headersSent) return;
    if (error.code === 'unavailable') res.setHeader('Retry-After', '30');
    sendProblem(req, res, error);
  };
}
