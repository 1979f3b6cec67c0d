import { Router, type Request, type Response } from 'express';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { API_TOKENS_TEXT } from './api-tokens.messages.js';
import { API_SCOPES, MAX_TOKEN_DAYS } from './api-tokens.schema.js';
import { NewTokenSchema } from './api-tokens.schema.js';
import { createApiToken, listTokens, revokeApiToken } from './api-tokens.service.js';

/**
 * The console's API token page (administrators: permission api_tokens): the list, a form for a new
 * token (shown once, on the page that answers the form; never cached), and revoking one.
 */
async function tokensPage(
  ctx: OpsContext,
  req: Request,
  res: Response,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const now = ctx.deps.now();
  const tokens = (await listTokens(ctx.deps.db)).map((t) => ({
    ...t,
    state: t.revoked_at ? 'revoked' : t.expires_at <= now ? 'expired' : 'active',
  }));
  renderOps(
    ctx,
    req,
    res,
    'api-tokens',
    {
      t: API_TOKENS_TEXT,
      tokens,
      scopes: API_SCOPES,
      form: { days: '90', scopes: [] },
      maxDays: MAX_TOKEN_DAYS,
      errors: {},
      message: null,
      ...extra,
    },
    status,
  );
}

export function apiTokenRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  const form: FormRenderer = (req, res, failure) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scopes = ([] as unknown[]).concat(body.scopes ?? []);
    return tokensPage(
      ctx,
      req,
      res,
      { errors: failure.fields, message: failure.message, form: { ...body, scopes } },
      failure.status,
    );
  };

  opsRoute(router, 'get', '/api-tokens', 'api_tokens', (req, res) => tokensPage(ctx, req, res));
  opsRoute(router, 'post', '/api-tokens', 'api_tokens', validate(NewTokenSchema, form), async (req, res) => {
    const input = validated(res, NewTokenSchema);
    const issued = await createApiToken(db, req.staff!.id, input, now());
    renderOps(ctx, req, res, 'api-tokens-created', { t: API_TOKENS_TEXT, name: input.name, issued });
  });
  opsRoute(router, 'post', '/api-tokens/:id/revoke', 'api_tokens', async (req, res) => {
    await revokeApiToken(db, req.staff!.id, String(req.params.id), now());
    res.redirect(303, '/ops/api-tokens');
  });
  return router;
}
