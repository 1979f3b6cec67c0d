import { Router } from 'express';
import type { OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { STAFF_ADMIN_TEXT } from './staff-admin.messages.js';
import { resetFactor, unlock, type Reset } from './staff-admin.service.js';
import { totpBoxFor } from './staff-crypto.js';
import { ReasonSchema } from './staff.schema.js';
import { showLink } from './staff-link.view.js';

/**
 * What only an administrator does to an account: reset its password or second factor (a new
 * enrolment link, shown once; the account's sessions end) and lift its lockout.
 */
export function staffAdminRoutes(ctx: OpsContext): Router {
  const router = Router();
  const { db, now, config } = ctx.deps;
  const box = totpBoxFor(config.TOTP_ENCRYPTION_KEY);

  for (const [path, which] of [
    ['/staff/:id/reset-password', 'password'],
    ['/staff/:id/reset-totp', 'totp'],
  ] as const satisfies readonly (readonly [string, Reset])[]) {
    opsRoute(router, 'post', path, 'staff_admin', async (req, res) => {
      const reason = ReasonSchema.parse(req.body ?? {}).reason;
      const actor = { id: req.staff!.id, role: req.staff!.role };
      const link = await resetFactor(db, box, actor, String(req.params.id), which, reason, now());
      showLink(ctx, req, res, link, STAFF_ADMIN_TEXT.linkReset(link.username));
    });
  }

  opsRoute(router, 'post', '/staff/:id/unlock', 'staff_admin', async (req, res) => {
    const reason = ReasonSchema.parse(req.body ?? {}).reason;
    await unlock(db, { id: req.staff!.id, role: req.staff!.role }, String(req.params.id), reason, now());
    res.redirect(303, '/ops/staff');
  });
  return router;
}
