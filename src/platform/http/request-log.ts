import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { routeOf } from './route-of.js';

/** Probes polled every few seconds by the balancer: not worth a line each. */
const UNLOGGED = new Set(['/healthz', '/readyz']);
const MAX_REQ_ID = 2147483647;

/**
 * The request log is written when the response ends, with the route that answered (see routeOf):
 * never the path as sent, a query string, a cookie or a body. Nothing is bound at the start: one
 * 'close' listener per request (Node emits it after 'finish', and alone when the client went
 * away), no child logger per request, and nothing at all when the info level is off. The line is
 * the one pino-http wrote: reqId, req { method, path }, res { status }, responseTime and the same
 * messages.
 */
export function requestLog(logger: Logger): RequestHandler {
  let lastId = 0;
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info') || UNLOGGED.has(req.url)) return next();
    lastId = (lastId + 1) & MAX_REQ_ID;
    const reqId = lastId;
    const start = Date.now();
    res.once('close', () => writeLine(logger, req, res, reqId, Date.now() - start));
    next();
  };
}

function writeLine(logger: Logger, req: Request, res: Response, reqId: number, responseTime: number): void {
  const line = {
    reqId,
    req: { method: req.method, path: routeOf(req) },
    res: { status: res.statusCode },
  };
  if (res.statusCode >= 500) {
    const err = new Error(`failed with status code ${res.statusCode}`);
    logger.info({ ...line, err, responseTime }, 'request errored');
    return;
  }
  const completed = !req.readableAborted && res.writableEnded;
  logger.info({ ...line, responseTime }, completed ? 'request completed' : 'request aborted');
}
