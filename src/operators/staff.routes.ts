import { Router } from 'express';
import { fieldErrors } from '../platform/forms.js';
import { recordAudit } from '../audit/audit.service.js';
import { AppError, isAppError, notFound } from '../platform/errors.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { ROLE_LABELS, ROLES } from './permissions.js';
import { findStaffById, listStaff, updateStaff } from './staff.repo.js';
import { NewStaffSchema, RoleChangeSchema } from './staff.schema.js';
import { createStaff } from './staff.service.js';
import type { Role } from './staff.table.js';

/** Staff accounts: create, change role, disable. Every change is audited with its reason. */
export function staffRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now } = ctx.deps;
  const page = async (
    req: Parameters<typeof renderOps>[1],
    res: Parameters<typeof renderOps>[2],
    extra: Record<string, unknown> = {},
    status = 200,
  ) =>
    renderOps(
      ctx,
      req,
      res,
      'staff',
      {
        list: await listStaff(db),
        roles: ROLES,
        roleLabels: ROLE_LABELS,
        errors: {},
        message: null,
        form: {},
        ...extra,
      },
      status,
    );

  opsRoute(router, 'get', '/staff', 'staff', async (req, res) => page(req, res));

  opsRoute(router, 'post', '/staff', 'staff', async (req, res) => {
    const parsed = NewStaffSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return page(
        req,
        res,
        { errors: fieldErrors(parsed.error.issues), message: '入力内容をご確認ください。', form: req.body },
        400,
      );
    }
    if (parsed.data.role === 'admin' && req.staff!.role !== 'admin') {
      return page(
        req,
        res,
        {
          errors: { role: '管理者を作成できるのは管理者だけです。' },
          message: '入力内容をご確認ください。',
          form: req.body,
        },
        403,
      );
    }
    try {
      await db.transaction().execute(async (trx) => {
        const id = await createStaff(trx, { ...parsed.data, role: parsed.data.role as Role });
        await recordAudit(
          trx,
          {
            staffId: req.staff!.id,
            action: 'staff.create',
            targetType: 'staff',
            targetId: id,
            details: { role: parsed.data.role },
          },
          now(),
        );
      });
    } catch (err) {
      if (isAppError(err) && err.code === 'conflict')
        return page(req, res, { errors: err.fields, message: err.publicMessage, form: req.body }, 409);
      throw err;
    }
    res.redirect(303, '/ops/staff');
  });

  const target = async (id: string, actorRole: Role) => {
    const s = /^\d+$/.test(id) ? await findStaffById(db, id) : undefined;
    if (!s) throw notFound('スタッフ');
    if (s.role === 'admin' && actorRole !== 'admin')
      throw new AppError('forbidden', '管理者のアカウントは管理者だけが変更できます。');
    return s;
  };

  opsRoute(router, 'post', '/staff/:id/role', 'staff', async (req, res) => {
    const s = await target(String(req.params.id), req.staff!.role);
    const parsed = RoleChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return page(
        req,
        res,
        { errors: fieldErrors(parsed.error.issues), message: '入力内容をご確認ください。' },
        400,
      );
    if (parsed.data.role === 'admin' && req.staff!.role !== 'admin')
      throw new AppError('forbidden', '管理者にできるのは管理者だけです。');
    await db.transaction().execute(async (trx) => {
      await updateStaff(trx, s.id, { role: parsed.data.role as Role }, now());
      await recordAudit(
        trx,
        {
          staffId: req.staff!.id,
          action: 'staff.role_change',
          targetType: 'staff',
          targetId: s.id,
          reason: parsed.data.reason,
          details: { from: s.role, to: parsed.data.role },
        },
        now(),
      );
    });
    res.redirect(303, '/ops/staff');
  });

  for (const [path, disabled] of [
    ['/staff/:id/disable', true],
    ['/staff/:id/enable', false],
  ] as const) {
    opsRoute(router, 'post', path, 'staff', async (req, res) => {
      const s = await target(String(req.params.id), req.staff!.role);
      if (s.id === req.staff!.id) throw new AppError('validation', '自分のアカウントは無効にできません。');
      await db.transaction().execute(async (trx) => {
        await updateStaff(trx, s.id, { disabled_at: disabled ? now() : null }, now());
        await recordAudit(
          trx,
          {
            staffId: req.staff!.id,
            action: disabled ? 'staff.disable' : 'staff.enable',
            targetType: 'staff',
            targetId: s.id,
            reason: String(req.body?.reason ?? '').slice(0, 200) || null,
          },
          now(),
        );
      });
      res.redirect(303, '/ops/staff');
    });
  }
  return router;
}
