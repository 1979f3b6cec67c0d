import { Router } from 'express';
import type { WebContext } from '../platform/http/web.js';
import { isAppError } from '../platform/errors.js';
import { fieldErrors } from '../platform/forms.js';
import { LoginFormSchema } from './auth.schema.js';
import { login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session.middleware.js';

export function authRoutes(ctx: WebContext): Router {
  const router = Router({ mergeParams: true });
  const secure = ctx.deps.config.SECURE_COOKIES;

  router.get('/login', (req, res) => {
    if (res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    res.render('auth/login', { csrfToken: ctx.csrfToken(req, res), errors: {}, message: null });
  });

  router.post('/login', async (req, res) => {
    const campaign = req.campaign!;
    const parsed = LoginFormSchema.safeParse(req.body ?? {});
    const renderError = (status: number, message: string | null, errors: Record<string, string> = {}) =>
      res.status(status).render('auth/login', { csrfToken: ctx.csrfToken(req, res), errors, message });
    if (!parsed.success) {
      return renderError(400, '入力内容をご確認ください。', fieldErrors(parsed.error.issues));
    }
    try {
      const now = ctx.deps.now();
      const { customerId } = await login(
        ctx.deps.db,
        ctx.deps.config,
        campaign,
        parsed.data,
        req.ip ?? 'unknown',
        now,
      );
      // A fresh token at every login: nothing from before the login carries over.
      const { token, session } = await ctx.sessions.issue(customerId, campaign.id, now);
      setSessionCookie(res, token, session.expiresAt, secure);
      res.redirect(303, `/c/${campaign.slug}/my`);
    } catch (err) {
      if (isAppError(err) && ['unauthenticated', 'locked', 'throttled'].includes(err.code)) {
        return renderError(err.status, err.publicMessage);
      }
      throw err;
    }
  });

  router.post('/logout', (req, res) => {
    clearSessionCookie(res, secure);
    res.redirect(303, `/c/${req.campaign!.slug}`);
  });
  return router;
}
