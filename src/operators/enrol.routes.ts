import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { EnrolmentLinkInvalid } from './operators.errors.js';
import { totpBoxFor } from './staff-crypto.js';
import { completeEnrolment, openEnrolment, type OpenEnrolment } from './staff-enrolment.service.js';
import { totpUri } from './staff-totp.js';
import { ENROL_TEXT, PASSWORD_RULES } from './staff.messages.js';
import { EnrolmentSchema } from './staff.schema.js';

interface Flash {
  errors?: Record<string, string>;
  message?: string | null;
}

/** The enrolment form: what the account lacks to set, what it kept to prove, the QR code. */
async function renderForm(
  ctx: OpsContext,
  req: Request,
  res: Response,
  token: string,
  e: OpenEnrolment,
  flash: Flash = {},
  status = 200,
) {
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
      errors: flash.errors ?? {},
      message: flash.message ?? null,
    },
    status,
  );
}

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

  /** A refused enrolment: the form again while the link still opens, else the link's end. */
  const refused: FormRenderer = async (req, res, failure) => {
    const token = validated(res, EnrolmentSchema).t;
    const e = await openEnrolment(db, box, token, now());
    if (!e || EnrolmentLinkInvalid.is(failure.error)) return invalid(req, res);
    await renderForm(
      ctx,
      req,
      res,
      token,
      e,
      { errors: failure.fields, message: failure.message },
      failure.status,
    );
  };

  router.get('/enrol', async (req, res) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const e = await openEnrolment(db, box, token, now());
    if (!e) return invalid(req, res);
    await renderForm(ctx, req, res, token, e);
  });

  router.post(
    '/enrol',
    validate(EnrolmentSchema, invalid),
    async (req: Request, res: Response) => {
      const { t: token, ...input } = validated(res, EnrolmentSchema);
      const done = await completeEnrolment(db, box, token, input, now());
      renderOps(ctx, req, res, 'enrol-done', { t: ENROL_TEXT, recoveryCodes: done.recoveryCodes });
    },
    rerenderOn(['not_found', 'validation', 'unauthenticated'], refused),
  );
  return router;
}
