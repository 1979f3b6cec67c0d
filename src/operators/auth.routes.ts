import { Router } from 'express';
import { fieldErrors } from '../platform/forms.js';
import QRCode from 'qrcode';
import { audit } from '../audit/audit.service.js';
import { isAppError } from '../platform/errors.js';
import { clearStaffCookie, setStaffCookie } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { StaffLoginSchema, TotpSchema } from './staff.schema.js';
import { authenticateStaff, checkTotp, enrolTotp, newTotpSecret, totpUri } from './staff.service.js';
import { findStaffById } from './staff.repo.js';

/** Sign-in, second factor, sign-out. */
export function opsAuthRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now, config } = ctx.deps;
  const secure = config.SECURE_COOKIES;

  router.get('/login', (req, res) => renderOps(ctx, req, res, 'login', { errors: {}, message: null }));

  router.post('/login', async (req, res) => {
    const parsed = StaffLoginSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return renderOps(
        ctx,
        req,
        res,
        'login',
        { errors: fieldErrors(parsed.error.issues), message: '入力内容をご確認ください。' },
        400,
      );
    }
    try {
      const staff = await authenticateStaff(db, parsed.data.username, parsed.data.password, now());
      const { token, session } = await ctx.sessions.issue(staff.id, false, now());
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
      res.redirect(303, staff.totp_secret ? '/ops/login/totp' : '/ops');
    } catch (err) {
      if (isAppError(err) && (err.code === 'unauthenticated' || err.code === 'locked')) {
        await audit(
          db,
          { staffId: null, action: 'staff.sign_in_failed', details: { reason: err.code } },
          now(),
        );
        return renderOps(ctx, req, res, 'login', { errors: {}, message: err.publicMessage }, err.status);
      }
      throw err;
    }
  });

  router.get('/login/totp', (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    renderOps(ctx, req, res, 'totp', { errors: {}, message: null });
  });

  router.post('/login/totp', async (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    const staff = await findStaffById(db, req.staff.id);
    const parsed = TotpSchema.safeParse(req.body ?? {});
    if (!parsed.success || !staff?.totp_secret || !checkTotp(staff.totp_secret, parsed.data.code, now())) {
      await audit(db, { staffId: req.staff.id, action: 'staff.totp_failed' }, now());
      return renderOps(
        ctx,
        req,
        res,
        'totp',
        { errors: { code: '確認コードが正しくありません。' }, message: '確認コードが正しくありません。' },
        401,
      );
    }
    const { token, session } = await ctx.sessions.issue(staff.id, true, now());
    setStaffCookie(res, token, session.expiresAt, secure);
    await audit(
      db,
      {
        staffId: staff.id,
        action: 'staff.sign_in',
        targetType: 'staff',
        targetId: staff.id,
        details: { step: 'totp' },
      },
      now(),
    );
    res.redirect(303, '/ops');
  });

  router.get('/account/totp', async (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    if (req.staff.hasTotp) return res.redirect(303, '/ops');
    const secret = newTotpSecret();
    const qr = await QRCode.toDataURL(totpUri(secret, req.staff.username));
    renderOps(ctx, req, res, 'totp-enrol', { secret, qr, errors: {}, message: null });
  });

  router.post('/account/totp', async (req, res) => {
    if (!req.staff) return res.redirect(303, '/ops/login');
    const secret = String(req.body?.secret ?? '');
    const parsed = TotpSchema.safeParse(req.body ?? {});
    try {
      if (!parsed.success || !/^[A-Z2-7]{16,64}$/.test(secret)) throw new Error('invalid');
      await enrolTotp(db, req.staff.id, secret, parsed.data.code, now());
    } catch {
      const qr = /^[A-Z2-7]{16,64}$/.test(secret)
        ? await QRCode.toDataURL(totpUri(secret, req.staff.username))
        : null;
      return renderOps(
        ctx,
        req,
        res,
        'totp-enrol',
        {
          secret,
          qr,
          errors: { code: '確認コードが正しくありません。' },
          message: '確認コードが正しくありません。',
        },
        400,
      );
    }
    const { token, session } = await ctx.sessions.issue(req.staff.id, true, now());
    setStaffCookie(res, token, session.expiresAt, secure);
    await audit(
      db,
      { staffId: req.staff.id, action: 'staff.totp_enrolled', targetType: 'staff', targetId: req.staff.id },
      now(),
    );
    res.redirect(303, '/ops');
  });

  router.post('/logout', async (req, res) => {
    if (req.staff) await audit(db, { staffId: req.staff.id, action: 'staff.sign_out' }, now());
    clearStaffCookie(res, secure);
    res.redirect(303, '/ops/login');
  });
  return router;
}
