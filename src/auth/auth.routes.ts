import { Router, type Request, type Response } from 'express';
import type { WebContext } from './web-context.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { loginFormSchema } from './auth.schema.js';
import { login } from './auth.service.js';
import { clearSessionCookie, setSessionCookie } from './session.middleware.js';
import { endSession, sessionToOpen } from './session.service.js';
import { registrationCodeForLetter } from '../letters/letter-verify.service.js';

export function authRoutes(ctx: WebContext): Router {
  const router = Router({ mergeParams: true });
  const { db, now } = ctx.deps;
  const secure = ctx.deps.config.SECURE_COOKIES;

  /**
   * From a letter's QR code (`?letter=<token>`): the page shows only the code's last 4 characters
   * and carries the token in the form; the code itself is looked up again when the form is posted.
   * An address in a browser's or a QR app's history thus never leads to the full code (with which
   * anyone could lock the customer out), and the token alone logs nobody in.
   */
  const letterCode = (req: Request, token: string) =>
    registrationCodeForLetter(ctx.deps, {
      campaignId: req.campaign!.id,
      token,
      clientIp: req.ip ?? 'unknown',
    });
  const letterForm = (token: string, code: string) => ({
    letterToken: token,
    letterCodeTail: code.slice(-4),
  });

  router.get('/login', async (req, res) => {
    if (res.locals.loggedIn) return res.redirect(303, `/c/${req.campaign!.slug}/my`);
    const letter = req.query.letter;
    const code = typeof letter === 'string' ? await letterCode(req, letter) : undefined;
    res.render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: {},
      message: null,
      ...(code && typeof letter === 'string' ? letterForm(letter, code) : {}),
    });
  });

  /** A form from a letter whose code field was left empty: the code comes from the token. */
  const fillCodeFromLetter = async (req: Request, res: Response, next: () => void) => {
    const body = req.body as Record<string, unknown> | undefined;
    const letter = body?.letter;
    if (body && typeof letter === 'string' && letter && !String(body.registrationCode ?? '').trim()) {
      const code = await letterCode(req, letter);
      if (code) {
        body.registrationCode = code;
        res.locals.letterForm = letterForm(letter, code);
      }
    }
    next();
  };

  const loginForm: FormRenderer = (req, res, failure) =>
    res.status(failure.status).render('auth/login', {
      csrfToken: ctx.csrfToken(req, res),
      errors: failure.fields,
      message: failure.message,
      ...(res.locals.letterForm as object | undefined),
    });

  router.post(
    '/login',
    fillCodeFromLetter,
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
