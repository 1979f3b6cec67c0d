import express, { Router, type Request, type RequestHandler } from 'express';
import type { AppDeps } from '../platform/deps.js';
import { apiErrorHandler, apiNotFound } from './api-error.handler.js';
import { apiContext, type ApiOptions } from './api.context.js';
import { JsonRequired } from './api.errors.js';
import { customerApiRoutes } from './customer-api.routes.js';
import { openApiDocument } from './openapi.js';
import { opsApiRoutes } from './ops-api.routes.js';
import { apiRateLimit, clientOf } from './rate-limit.middleware.js';

export type { ApiOptions } from './api.context.js';

/** The operators' part (as Express routes it: any case); its router applies the limits itself. */
const isOpsPath = (req: Request) => /^\/v1\/ops(?:\/|$)/i.test(req.path);

/** A body, if any, must be JSON (the API never reads forms: no cross-site form can reach it). */
const jsonOnly: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  next(hasBody && !req.is('application/json') ? JsonRequired() : undefined);
};

/**
 * The JSON API (/api/v1), mounted before the cookie parser, the sessions and CSRF: it never reads
 * nor sets a cookie and authenticates by `Authorization: Bearer` only, so CSRF has nothing to ride
 * on. Answers are never cached; errors are problems (RFC 9457).
 */
export function apiRoutes(deps: AppDeps, options: Partial<ApiOptions> = {}): Router {
  const ctx = apiContext(deps, options);
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.get('/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.use(
    jsonOnly,
    express.json({ limit: '8kb', strict: true }),
    // Per client address. Below /ops, refused tokens have a per-client limit and a live token its
    // own (ops-api.routes.ts); an `owabi_` header alone exempts nothing.
    apiRateLimit({
      db: deps.db,
      now: deps.now,
      limit: ctx.options.clientPerMinute,
      prefix: 'client',
      key: clientOf,
      skip: isOpsPath,
    }),
  );
  router.use('/v1/ops', opsApiRoutes(ctx));
  router.use('/v1', customerApiRoutes(ctx));
  router.use(apiNotFound);
  router.use(apiErrorHandler(deps.logger));
  return router;
}
