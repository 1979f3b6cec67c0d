import { Router, type Request, type Response } from 'express';
import { clientKey } from '../platform/http/client-key.js';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { enrolRoutes } from './enrol.routes.js';
import { clearStaffCookie, sessionIdOf, setStaffCookie } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { totpBoxFor } from './staff-crypto.js';
import { recordSignOut, signInSecondFactor, signInWithPassword } from './staff-sign-in.service.js';
import { SECOND_FACTOR_TEXT, SIGN_IN_TEXT } from './staff.messages.js';
import { SecondFactorSchema, StaffLoginSchema } from './staff.schema.js';

interface SignInPages {
  login(req: Request, res: Response, message: string | null, status?: number, errors?: object): void;
  secondFactor(req: Request, res: Response, message: string | null, status?: number): void;
  /** Ends the session the request came with (a new sign-in never keeps an old session). */
  endSession(req: Request, res: Response): Promise<void>;
}

function signInPages(ctx: OpsContext): SignInPages {
  const secure = ctx.deps.config.SECURE_COOKIES;
  return {
    login: (req, res, message, status = 200, errors = {}) =>
      renderOps(ctx, req, res, 'login', { t: SIGN_IN_TEXT, errors, message }, status),
    secondFactor: (req, res, message, status = 200) =>
      renderOps(
        ctx,
        req,
        res,
        'totp',
        { t: SECOND_FACTOR_TEXT, errors: message ? { code: message } : {}, message },
        status,
      ),
    endSession: async (req, res) => {
      const id = sessionIdOf(req);
      if (!id) return;
      await ctx.sessions.revoke(ctx.deps.db, id);
      clearStaffCookie(res, secure);
      // Pages rendered after this get tokens for no session, as the next request will have none.
      req.operatorSessionId = undefined;
      req.staff = undefined;
      res.locals.staff = null;
    },
  };
}

/** The password step: a refusal (the same for every reason) shows the form again. */
function passwordStep(router: Router, ctx: OpsContext, pages: SignInPages) {
  const { db, now, config } = ctx.deps;
  const form: FormRenderer = (req, res, failure) =>
    pages.login(req, res, failure.message, failure.status, failure.fields);
  router.get('/login', (req, res) => pages.login(req, res, null));
  router.post(
    '/login',
    validate(StaffLoginSchema, form),
    async (req: Request, res: Response) => {
      await pages.endSession(req, res);
      const credentials = { ...validated(res, StaffLoginSchema), client: clientKey(req.ip ?? '') };
      const limits = { clientFailuresPerMinute: config.CLIENT_FAILURES_PER_MINUTE };
      const { token, session } = await signInWithPassword(db, ctx.sessions, limits, credentials, now());
      setStaffCookie(res, token, session.expiresAt, config.SECURE_COOKIES);
      res.redirect(303, '/ops/login/totp');
    },
    rerenderOn(['unauthenticated', 'throttled', 'forbidden'], form),
  );
}

/** The second factor of a half-signed-in session; its last wrong try signs out. */
function secondFactorStep(router: Router, ctx: OpsContext, pages: SignInPages) {
  const { db, now, config } = ctx.deps;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);
  router.get('/login/totp', (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    if (req.staff.mfa) return res.redirect(303, '/ops');
    pages.secondFactor(req, res, null);
  });
  router.post('/login/totp', async (req, res) => {
    const id = sessionIdOf(req);
    if (!req.staff || !id) return res.redirect(303, '/ops/login');
    if (req.staff.mfa) return res.redirect(303, '/ops');
    const parsed = SecondFactorSchema.safeParse(req.body ?? {});
    const pending = { id, staffId: req.staff.id };
    const step = await signInSecondFactor(db, box, ctx.sessions, pending, parsed.data?.code ?? '', now());
    if (!step.ok) {
      if (!step.ended) return pages.secondFactor(req, res, SECOND_FACTOR_TEXT.wrong, 401);
      await pages.endSession(req, res);
      return pages.login(req, res, SECOND_FACTOR_TEXT.tooMany, 401);
    }
    setStaffCookie(res, step.issued.token, step.issued.session.expiresAt, config.SECURE_COOKIES);
    res.redirect(303, '/ops');
  });
}

/** Sign-in (password, then the second factor), sign-out, and the enrolment links. */
export function opsAuthRoutes(ctx: OpsContext): Router {
  const router = Router();
  const pages = signInPages(ctx);
  passwordStep(router, ctx, pages);
  secondFactorStep(router, ctx, pages);
  router.post('/logout', async (req, res) => {
    const staffId = req.staff?.id;
    await pages.endSession(req, res);
    if (staffId) await recordSignOut(ctx.deps.db, staffId, ctx.deps.now());
    res.redirect(303, '/ops/login');
  });
  router.use(enrolRoutes(ctx));
  return router;
}
