import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';
import { routeOf } from './route-of.js';

/**
 * The request log is written when the response ends, with the route that answered (see routeOf):
 * never the path as sent, a query string, a cookie or a body. Nothing is bound at the start.
 */
export function requestLog(logger: Logger): RequestHandler {
  const entry = (req: Request, _res: unknown, val: object) => ({
    ...val,
    req: { method: req.method, path: routeOf(req) },
  });
  return pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: { method: string; path: string }) => ({ method: req.method, path: req.path }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customSuccessObject: entry,
    customErrorObject: entry,
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
