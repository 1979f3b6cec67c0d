import { Router, type Request, type Response } from 'express';
import type { WebContext } from './web-context.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { loginFormSchema } from './auth.schema.js';
import { login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session.middleware.js';
import { endSession, sessionToOpen } from './session.service.js';
import { fillCodeFromLetter, letterFormFor } from './letter-prefill.js';

/** Login and logout, added to the campaign's router (a new one without). */
export function authRoutes(ctx: WebContext, router = Router({ mergeParams: true })): Router {
  const { db, now } = ctx.deps;
  const secure = ctx.deps.config.SECURE_COOKIES;

  router.get('/login', async (req, res) => {
    if (res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    res.render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: {},
      message: null,
      ...(await letterFormFor(ctx.deps, req)),
    });
  });

  const loginForm: FormRenderer = (req, res, failure) =>
    res.status(failure.status).render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: failure.fields,
      message: failure.message,
      ...(res.locals.letterForm as object | undefined),
    });

  router.post(
    '/login',
    fillCodeFromLetter(ctx.deps),
    validate(loginFormSchema, loginForm),
    async (req: Request, res: Response) => {
      const campaign = req.campaign!;
      const at = now();
      const form = validated(res, loginFormSchema);
      // A fresh session at every login: nothing from before the login carries over. Its row is
      // written by the login's own statement, with the attempt's verdict (one round trip).
      const { sid, opening } = sessionToOpen(ctx.sessions, campaign.id, at, req.customerSession);
      const ip = req.ip ?? 'unknown';
      const { customerId } = await login(db, ctx.deps.config, campaign, form, ip, at, opening);
      const { token, session } = await ctx.sessions.sign(customerId, campaign.id, sid, at);
      setSessionCookie(res, token, session.expiresAt, secure);
      res.redirect(303, `/c/${campaign.slug}/my`);
    },
    rerenderOn(['unauthenticated', 'locked', 'throttled'], loginForm),
  );

  router.post('/logout', async (req, res) => {
    if (req.customerSession) await endSession(db, req.customerSession);
    clearSessionCookie(res, secure);
    res.redirect(303, `/c/${req.campaign!.slug}`);
  });
  return router;
}
