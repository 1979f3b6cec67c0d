import { Router, type Request, type Response } from 'express';
import { rerenderOn, type FormRenderer } from '../platform/http/validate.js';
import { sessionIdOf } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { changeOwnPassword } from './staff-account.service.js';
import { ACCOUNT_TEXT, PASSWORD_RULES } from './staff.messages.js';
import { PasswordChangeSchema } from './staff.schema.js';

/** An oversized field counts as empty: the service then says what each field needs. */
const EMPTY = { currentPassword: '', newPassword: '', newPasswordAgain: '' };

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
  const refused: FormRenderer = (req, res, failure) =>
    page(req, res, { errors: failure.fields, message: failure.message }, failure.status);

  opsRoute(router, 'get', '/account/password', null, (req, res) => page(req, res));

  opsRoute(
    router,
    'post',
    '/account/password',
    null,
    async (req, res) => {
      const parsed = PasswordChangeSchema.safeParse(req.body ?? {});
      await changeOwnPassword(db, req.staff!.id, sessionIdOf(req)!, parsed.data ?? EMPTY, now());
      page(req, res, { done: true, message: ACCOUNT_TEXT.changed });
    },
    rerenderOn(['validation', 'locked', 'forbidden'], refused),
  );
  return router;
}
