import { Router, type Request, type Response } from 'express';
import { fieldErrors } from '../platform/forms.js';
import { isAppError } from '../platform/errors.js';
import { accountRoutes } from './account.routes.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { can, canManage, grantableRoles, ROLE_LABELS } from './permissions.js';
import { STAFF_ADMIN_TEXT } from './staff-admin.messages.js';
import { staffAdminRoutes } from './staff-admin.routes.js';
import { changeRole, createStaffWithLink, setDisabled } from './staff-admin.service.js';
import { totpBoxFor } from './staff-crypto.js';
import { staffWithOpenLinks } from './staff-enrolment.repo.js';
import { CHECK_INPUT } from './staff.messages.js';
import { showLink } from './staff-link.view.js';
import { listStaff } from './staff.repo.js';
import { NewStaffSchema, ReasonSchema, RoleChangeSchema } from './staff.schema.js';

const actorOf = (req: Request) => ({ id: req.staff!.id, role: req.staff!.role });

/**
 * Staff accounts: list, create (with an enrolment link), change role, disable and enable; an
 * administrator also resets and unlocks (staff-admin.routes.ts). Every change is audited.
 */
export function staffRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now, config } = ctx.deps;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);
  const page = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const actor = req.staff!;
    const at = now();
    const links = await staffWithOpenLinks(db, at);
    const list = (await listStaff(db)).map((s) => ({
      ...s,
      locked: s.locked_until !== null && s.locked_until > at,
      linkOpen: links.has(s.id),
      manageable: canManage(actor.role, s.role),
    }));
    renderOps(
      ctx,
      req,
      res,
      'staff',
      {
        t: STAFF_ADMIN_TEXT,
        list,
        roles: grantableRoles(actor.role),
        roleLabels: ROLE_LABELS,
        isAdmin: can(actor.role, 'staff_admin'),
        errors: {},
        message: null,
        form: {},
        ...extra,
      },
      status,
    );
  };

  opsRoute(router, 'get', '/staff', 'staff', async (req, res) => page(req, res));

  opsRoute(router, 'post', '/staff', 'staff', async (req, res) => {
    const parsed = NewStaffSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error.issues);
      return page(req, res, { errors, message: CHECK_INPUT, form: req.body }, 400);
    }
    try {
      const link = await createStaffWithLink(db, box, actorOf(req), parsed.data, now());
      showLink(ctx, req, res, link, STAFF_ADMIN_TEXT.linkCreated(link.username));
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'conflict' && err.code !== 'forbidden')) throw err;
      const errors = err.code === 'forbidden' ? { role: err.publicMessage } : err.fields;
      return page(req, res, { errors, message: err.publicMessage, form: req.body }, err.status);
    }
  });

  opsRoute(router, 'post', '/staff/:id/role', 'staff', async (req, res) => {
    const parsed = RoleChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error.issues);
      return page(req, res, { errors, message: CHECK_INPUT }, 400);
    }
    const { role, reason } = parsed.data;
    await changeRole(db, actorOf(req), String(req.params.id), role, reason, now());
    res.redirect(303, '/ops/staff');
  });

  for (const [path, disabled] of [
    ['/staff/:id/disable', true],
    ['/staff/:id/enable', false],
  ] as const) {
    opsRoute(router, 'post', path, 'staff', async (req, res) => {
      const reason = ReasonSchema.parse(req.body ?? {}).reason;
      await setDisabled(db, actorOf(req), String(req.params.id), disabled, reason, now());
      res.redirect(303, '/ops/staff');
    });
  }

  router.use(staffAdminRoutes(ctx));
  router.use(accountRoutes(ctx));
  return router;
}
