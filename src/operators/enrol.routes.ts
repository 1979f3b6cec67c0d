import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { audit } from '../audit/audit.service.js';
import { isAppError } from '../platform/errors.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { totpBoxFor } from './staff-crypto.js';
import { completeEnrolment, openEnrolment, type OpenEnrolment } from './staff-enrolment.service.js';
import { totpUri } from './staff-totp.js';
import { ENROL_TEXT, PASSWORD_RULES } from './staff.messages.js';
import { EnrolmentSchema } from './staff.schema.js';

/**
 * The page an enrolment link opens (public: the link is the credential, with the factor the
 * account kept, if any). GET shows the form, POST sets the password and the second factor and
 * shows the recovery codes once.
 */
export function enrolRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now, config } = ctx.deps;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);

  const invalid = (req: Request, res: Response) =>
    renderOps(ctx, req, res, 'enrol-invalid', { t: ENROL_TEXT }, 404);

  const form = async (
    req: Request,
    res: Response,
    token: string,
    e: OpenEnrolment,
    extra: { errors?: Record<string, string>; message?: string | null } = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'enrol',
      {
        t: ENROL_TEXT,
        rules: PASSWORD_RULES,
        token,
        username: e.staff.username,
        expiresAt: e.expiresAt,
        needs: e.needs,
        secret: e.secret,
        qr: e.secret ? await QRCode.toDataURL(totpUri(e.secret, e.staff.username)) : null,
        errors: extra.errors ?? {},
        message: extra.message ?? null,
      },
      status,
    );

  router.get('/enrol', async (req, res) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const e = await openEnrolment(db, box, token, now());
    if (!e) return invalid(req, res);
    await form(req, res, token, e);
  });

  router.post('/enrol', async (req, res) => {
    const parsed = EnrolmentSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res);
    const { t: token, ...input } = parsed.data;
    try {
      const done = await completeEnrolment(db, box, token, input, now());
      renderOps(ctx, req, res, 'enrol-done', { t: ENROL_TEXT, recoveryCodes: done.recoveryCodes });
    } catch (err) {
      if (!isAppError(err)) throw err;
      const e = await openEnrolment(db, box, token, now());
      if (!e || err.code === 'not_found') return invalid(req, res);
      if (err.code === 'unauthenticated')
        await audit(
          db,
          { staffId: null, action: 'staff.enrolment_failed', targetType: 'staff', targetId: e.staff.id },
          now(),
        );
      await form(req, res, token, e, { errors: err.fields, message: err.publicMessage }, err.status);
    }
  });
  return router;
}
