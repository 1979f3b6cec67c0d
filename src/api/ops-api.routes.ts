import { Router } from 'express';
import type { ApiContext } from './api.context.js';
import { requireScope, requireToken } from './api-auth.middleware.js';
import { apiLookup, apiPostcardEntry, apiReport, apiSuppression } from './ops-api.service.js';
import { apiRateLimit, clientOf } from './rate-limit.middleware.js';

/**
 * The operators' endpoints, below /ops: an API token (Authorization: Bearer owabi_…), its request
 * limit, then the scope each operation needs (every use audited as the token's creator).
 */
export function opsApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { deps } = ctx;
  router.use(
    // Refused tokens per client address (the API's per-client limit skips /ops): checked before
    // the token is looked up, so that a client past it costs no query and writes no audit entry;
    // a request whose token was live is taken back (a live token has its own limit, below).
    apiRateLimit({
      db: deps.db,
      now: deps.now,
      limit: ctx.options.clientPerMinute,
      prefix: 'ops-refused',
      key: clientOf,
      succeeded: (req) => req.apiCaller !== undefined,
    }),
    requireToken(ctx),
    apiRateLimit({
      db: deps.db,
      now: deps.now,
      limit: ctx.options.tokenPerMinute,
      prefix: 'token',
      key: (req) => req.apiCaller!.tokenId,
    }),
  );

  router.post('/customers/lookup', requireScope(ctx, 'contact', 'api.customer_lookup'), async (req, res) => {
    res.json(await apiLookup(deps, req.apiCaller!, req.body));
  });

  router.post(
    '/postcards/batches/:id/entries',
    requireScope(ctx, 'postcards', 'api.postcard_entry'),
    async (req, res) => {
      const saved = await apiPostcardEntry(deps, req.apiCaller!, String(req.params.id), req.body);
      res.status(saved.replay ? 200 : 201).json(saved);
    },
  );

  router.get('/suppression', requireScope(ctx, 'exports', 'api.suppression_read'), async (req, res) => {
    res.json(await apiSuppression(deps, req.query, ctx.options.suppressionSettleSeconds));
  });

  router.get('/campaigns/:id/report', requireScope(ctx, 'reports', 'api.report_view'), async (req, res) => {
    res.json(await apiReport(deps, req.apiCaller!, String(req.params.id)));
  });
  return router;
}
