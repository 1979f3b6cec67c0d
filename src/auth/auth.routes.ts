import { Router } from 'express';
import type { WebContext } from './web-context.js';
import { isAppError } from '../platform/errors.js';
import { fieldErrors } from '../platform/forms.js';
import { LoginFormSchema } from './auth.schema.js';
import { login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session.middleware.js';
import { endSession, startSession } from './session.service.js';

export function authRoutes(ctx: WebContext): Router {
  const router = Router({ mergeParams: true });
  const { db, now } = ctx.deps;
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
      const at = now();
      const { customerId } = await login(db, ctx.deps.config, campaign, parsed.data, req.ip ?? 'unknown', at);
      // A fresh session at every login: nothing from before the login carries over.
      if (req.customerSession) await endSession(db, req.customerSession);
      const { token, session } = await startSession(db, ctx.sessions, customerId, campaign.id, at);
      setSessionCookie(res, token, session.expiresAt, secure);
      res.redirect(303, `/c/${campaign.slug}/my`);
    } catch (err) {
      if (isAppError(err) && ['unauthenticated', 'locked', 'throttled'].includes(err.code)) {
        return renderError(err.status, err.publicMessage);
      }
      throw err;
    }
  });

  router.post('/logout', async (req, res) => {
    if (req.customerSession) await endSession(db, req.customerSession);
    clearSessionCookie(res, secure);
    res.redirect(303, `/c/${req.campaign!.slug}`);
  });
  return router;
}
