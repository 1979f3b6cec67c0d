import { Router, type Request, type Response } from 'express';
import { audit } from '../audit/audit.service.js';
import { fieldErrors } from '../platform/forms.js';
import { isAppError } from '../platform/errors.js';
import { clientKey } from '../platform/http/client-key.js';
import { enrolRoutes } from './enrol.routes.js';
import { clearStaffCookie, sessionIdOf, setStaffCookie } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { checkPassword, checkPendingSecondFactor, SignInRefused } from './staff-auth.service.js';
import { totpBoxFor } from './staff-crypto.js';
import { SECOND_FACTOR_TEXT, SIGN_IN_TEXT } from './staff.messages.js';
import { SecondFactorSchema, StaffLoginSchema } from './staff.schema.js';

/** Sign-in (password, then the second factor), sign-out, and the enrolment links. */
export function opsAuthRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now, config } = ctx.deps;
  const secure = config.SECURE_COOKIES;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);
  const login = (req: Request, res: Response, message: string | null, status = 200, errors = {}) =>
    renderOps(ctx, req, res, 'login', { t: SIGN_IN_TEXT, errors, message }, status);
  const secondFactor = (req: Request, res: Response, message: string | null, status = 200) =>
    renderOps(
      ctx,
      req,
      res,
      'totp',
      { t: SECOND_FACTOR_TEXT, errors: message ? { code: message } : {}, message },
      status,
    );
  /** Ends the session the request came with (a new sign-in never keeps an old session). */
  const endSession = async (req: Request, res: Response) => {
    const id = sessionIdOf(req);
    if (!id) return;
    await ctx.sessions.revoke(db, id);
    clearStaffCookie(res, secure);
    // Pages rendered after this get tokens for no session, as the next request will have none.
    req.operatorSessionId = undefined;
    req.staff = undefined;
    res.locals.staff = null;
  };

  router.get('/login', (req, res) => login(req, res, null));

  router.post('/login', async (req, res) => {
    const parsed = StaffLoginSchema.safeParse(req.body ?? {});
    if (!parsed.success) return login(req, res, SIGN_IN_TEXT.invalid, 400, fieldErrors(parsed.error.issues));
    await endSession(req, res);
    try {
      const staff = await checkPassword(
        db,
        { clientFailuresPerMinute: config.CLIENT_FAILURES_PER_MINUTE },
        { ...parsed.data, client: clientKey(req.ip ?? '') },
        now(),
      );
      const { token, session } = await ctx.sessions.issue(db, staff.id, false, now());
      setStaffCookie(res, token, session.expiresAt, secure);
      await audit(
        db,
        {
          staffId: staff.id,
          action: 'staff.sign_in',
          targetType: 'staff',
          targetId: staff.id,
          details: { step: 'password' },
        },
        now(),
      );
      res.redirect(303, '/ops/login/totp');
    } catch (err) {
      if (!isAppError(err)) throw err;
      const refused = err instanceof SignInRefused;
      await audit(
        db,
        {
          staffId: null,
          action: 'staff.sign_in_failed',
          ...(refused && err.staffId ? { targetType: 'staff', targetId: err.staffId } : {}),
          details: { reason: refused ? err.reason : err.code },
        },
        now(),
      );
      return login(req, res, err.publicMessage, err.status);
    }
  });

  router.get('/login/totp', (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    if (req.staff.mfa) return res.redirect(303, '/ops');
    secondFactor(req, res, null);
  });

  router.post('/login/totp', async (req, res) => {
    const id = sessionIdOf(req);
    if (!req.staff || !id) return res.redirect(303, '/ops/login');
    if (req.staff.mfa) return res.redirect(303, '/ops');
    const parsed = SecondFactorSchema.safeParse(req.body ?? {});
    const outcome = await checkPendingSecondFactor(
      db,
      box,
      { id, staffId: req.staff.id },
      parsed.success ? parsed.data.code : '',
      now(),
    );
    if (!outcome.ok) {
      await audit(db, { staffId: outcome.staffId, action: 'staff.totp_failed' }, now());
      if (!outcome.ended) return secondFactor(req, res, SECOND_FACTOR_TEXT.wrong, 401);
      await endSession(req, res);
      return login(req, res, SECOND_FACTOR_TEXT.tooMany, 401);
    }
    await ctx.sessions.revoke(db, id);
    const { token, session } = await ctx.sessions.issue(db, outcome.staff.id, true, now());
    setStaffCookie(res, token, session.expiresAt, secure);
    const staffId = outcome.staff.id;
    await audit(
      db,
      { staffId, action: 'staff.sign_in', targetType: 'staff', targetId: staffId, details: { step: 'totp' } },
      now(),
    );
    if (outcome.factor.kind === 'recovery')
      await audit(
        db,
        {
          staffId,
          action: 'staff.recovery_code_used',
          targetType: 'staff',
          targetId: staffId,
          details: { remaining: outcome.factor.remaining },
        },
        now(),
      );
    res.redirect(303, '/ops');
  });

  router.post('/logout', async (req, res) => {
    const staffId = req.staff?.id;
    await endSession(req, res);
    if (staffId) await audit(db, { staffId, action: 'staff.sign_out' }, now());
    res.redirect(303, '/ops/login');
  });

  router.use(enrolRoutes(ctx));
  return router;
}
