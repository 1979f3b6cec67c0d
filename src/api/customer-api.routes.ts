import { Router } from 'express';
import { loginFormSchema } from '../auth/auth.schema.js';
import type { ApiContext } from './api.context.js';
import { requireCustomer } from './api-auth.middleware.js';
import { parseWith } from './body.js';
import { apiChangeChoice } from './choice-change-api.service.js';
import { catalogueFor } from './problem.js';
import { apiLogin, apiLogout, apiRedeem, apiStatus } from './customer-api.service.js';

/** The customer's endpoints: log in, the status, the redemption (Idempotency-Key), a change of mind, log out. */
export function customerApiRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { deps } = ctx;

  router.post('/campaigns/:slug/session', async (req, res) => {
    const campaign = await ctx.campaigns.get(String(req.params.slug));
    const form = parseWith(loginFormSchema(catalogueFor(req).catalogue), req.body);
    res.status(201).json(await apiLogin(deps, ctx.sessions, campaign, form, req.ip ?? 'unknown'));
  });

  router.delete('/session', requireCustomer(ctx), async (req, res) => {
    await apiLogout(deps.db, req.apiCustomer!);
    res.status(204).end();
  });

  router.get('/me', requireCustomer(ctx), async (req, res) => {
    res.json(await apiStatus(deps, req.apiCustomer!));
  });

  router.post('/me/redemption', requireCustomer(ctx), async (req, res) => {
    const c = catalogueFor(req).catalogue;
    const answer = await apiRedeem(deps, req.apiCustomer!, req.body, req.get('idempotency-key'), c);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  });

  router.post('/me/choice-change', requireCustomer(ctx), async (req, res) => {
    res.json(await apiChangeChoice(deps, req.apiCustomer!, req.body, catalogueFor(req).catalogue));
  });

  return router;
}
