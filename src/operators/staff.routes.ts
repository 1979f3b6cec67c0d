import { Router, type Request, type Response } from 'express';
import { rerenderOn, validate, validated, type FormRenderer } from '../platform/http/validate.js';
import { accountRoutes } from './account.routes.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { can, grantableRoles, ROLE_LABELS } from './permissions.js';
import { STAFF_ADMIN_TEXT } from './staff-admin.messages.js';
import { staffAdminRoutes } from './staff-admin.routes.js';
import { changeRole, createStaffWithLink, setDisabled, staffOverview } from './staff-admin.service.js';
import { totpBoxFor } from './staff-crypto.js';
import { showLink } from './staff-link.view.js';
import { NewStaffSchema, ReasonSchema, RoleChangeSchema } from './staff.schema.js';

const actorOf = (req: Request) => ({ id: req.staff!.id, role: req.staff!.role });

type StaffPage = (
  req: Request,
  res: Response,
  extra?: Record<string, unknown>,
  status?: number,
) => Promise<void>;

/** The list of accounts with the new-account form; `extra` carries a refused form back. */
function staffPage(ctx: OpsContext): StaffPage {
  return async (req, res, extra = {}, status = 200) => {
    const actor = actorOf(req);
    renderOps(
      ctx,
      req,
      res,
      'staff',
      {
        t: STAFF_ADMIN_TEXT,
        list: await staffOverview(ctx.deps.db, actor, ctx.deps.now()),
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
}

/** A new account: its enrolment link is shown once; a taken name or a role not ours goes back to the form. */
function createRoute(router: Router, ctx: OpsContext, page: StaffPage) {
  const { db, now, config } = ctx.deps;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);
  const form: FormRenderer = (req, res, failure) =>
    page(req, res, { errors: failure.fields, message: failure.message, form: req.body }, failure.status);
  opsRoute(
    router,
    'post',
    '/staff',
    'staff',
    validate(NewStaffSchema, form),
    async (req, res) => {
      const input = validated(res, NewStaffSchema);
      const link = await createStaffWithLink(db, box, actorOf(req), input, now());
      showLink(ctx, req, res, link, STAFF_ADMIN_TEXT.linkCreated(link.username));
    },
    rerenderOn(['conflict', 'forbidden'], form),
  );
}

function changeRoutes(router: Router, ctx: OpsContext, page: StaffPage) {
  const { db, now } = ctx.deps;
  const roleForm: FormRenderer = (req, res, failure) =>
    page(req, res, { errors: failure.fields, message: failure.message }, failure.status);
  opsRoute(
    router,
    'post',
    '/staff/:id/role',
    'staff',
    validate(RoleChangeSchema, roleForm),
    async (req, res) => {
      const { role, reason } = validated(res, RoleChangeSchema);
      await changeRole(db, actorOf(req), String(req.params.id), role, reason, now());
      res.redirect(303, '/ops/staff');
    },
  );

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
}

/**
 * Staff accounts: list, create (with an enrolment link), change role, disable and enable; an
 * administrator also resets and unlocks (staff-admin.routes.ts). Every change is audited.
 */
export function staffRoutes(ctx: OpsContext): Router {
  const router = Router();
  const page = staffPage(ctx);
  opsRoute(router, 'get', '/staff', 'staff', (req, res) => page(req, res));
  createRoute(router, ctx, page);
  changeRoutes(router, ctx, page);
  router.use(staffAdminRoutes(ctx));
  router.use(accountRoutes(ctx));
  return router;
}
