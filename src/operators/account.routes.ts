import { Router, type Request, type Response } from 'express';
import { isAppError } from '../platform/errors.js';
import { sessionIdOf } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { changeOwnPassword } from './staff-account.service.js';
import { ACCOUNT_TEXT, PASSWORD_RULES } from './staff.messages.js';
import { PasswordChangeSchema } from './staff.schema.js';

/** An operator's own account: changing the password (every role). */
export function accountRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  const page = (
    req: Request,
    res: Response,
    extra: { errors?: Record<string, string>; message?: string | null; done?: boolean } = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'account-password',
      { t: ACCOUNT_TEXT, rules: PASSWORD_RULES, errors: {}, message: null, done: false, ...extra },
      status,
    );

  opsRoute(router, 'get', '/account/password', null, (req, res) => page(req, res));

  opsRoute(router, 'post', '/account/password', null, async (req, res) => {
    const parsed = PasswordChangeSchema.safeParse(req.body ?? {});
    const input = parsed.success
      ? parsed.data
      : { currentPassword: '', newPassword: '', newPasswordAgain: '' };
    try {
      await changeOwnPassword(db, req.staff!.id, sessionIdOf(req)!, input, now());
    } catch (err) {
      if (!isAppError(err) || !['validation', 'locked', 'forbidden'].includes(err.code)) throw err;
      return page(req, res, { errors: err.fields, message: err.publicMessage }, err.status);
    }
    page(req, res, { done: true, message: ACCOUNT_TEXT.changed });
  });
  return router;
}
