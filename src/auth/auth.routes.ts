import { Router, type Request, type Response } from 'express';
import type { WebContext } from './web-context.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { loginFormSchema } from './auth.schema.js';
import { login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session.middleware.js';
import { endSession, startSession } from './session.service.js';
import { formatForPrint } from '../customers/codes.js';
import { registrationCodeForLetter } from '../letters/letter-verify.service.js';

export function authRoutes(ctx: WebContext): Router {
  const router = Router({ mergeParams: true });
  const { db, now } = ctx.deps;
  const secure = ctx.deps.config.SECURE_COOKIES;

  router.get('/login', async (req, res) => {
    if (res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    // From a letter's QR code (`?letter=<token>`): the code is looked up here and put into the form,
    // never into an address; the token alone logs nobody in.
    const letter = req.query.letter;
    const code =
      typeof letter === 'string'
        ? await registrationCodeForLetter(ctx.deps, {
            campaignId: req.campaign!.id,
            token: letter,
            clientIp: req.ip ?? 'unknown',
          })
        : undefined;
    const prefilledCode = code ? formatForPrint(code) : null;
    res.render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: {},
      message: null,
      prefilledCode,
    });
  });

  const loginForm: FormRenderer = (req, res, failure) =>
    res.status(failure.status).render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: failure.fields,
      message: failure.message,
    });

  router.post(
    '/login',
    validate(loginFormSchema, loginForm),
    async (req: Request, res: Response) => {
      const campaign = req.campaign!;
      const at = now();
      const form = validated(res, loginFormSchema);
      const { customerId } = await login(db, ctx.deps.config, campaign, form, req.ip ?? 'unknown', at);
      // A fresh session at every login: nothing from before the login carries over.
      if (req.customerSession) await endSession(db, req.customerSession);
      const { token, session } = await startSession(db, ctx.sessions, customerId, campaign.id, at);
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
