import { Router, type Request, type Response } from 'express';
import { listOpenAlerts } from '../alerts/alert.service.js';
import { ROLE_LABELS } from './permissions.js';
import { opsAuthRoutes } from './auth.routes.js';
import { requireStaff } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { OPS_CSRF_LOCAL } from './ops.errors.js';
import { menuFor } from './ops.menu.js';
import { opsRoute } from './ops.registry.js';
import { staffRoutes } from './staff.routes.js';

export { OPS_SECTIONS } from './ops.menu.js';

export type OpsRouterFactory = (ctx: OpsContext) => Router;

/**
 * Mounted at /ops. Sign-in pages are public; everything after `requireStaff` needs an operator,
 * and each route declares its permission through `opsRoute`. Errors below /ops are shown in the
 * console's layout by the app's error handler (see ops.errors.ts).
 */
export function opsRoutes(ctx: OpsContext, sections: OpsRouterFactory[] = []): Router {
  const router = Router();
  router.use((_req, res, next) => {
    // Operator pages are never indexed, framed or cached.
    res.setHeader('X-Robots-Tag', 'noindex');
    next();
  });
  router.use(opsAuthRoutes(ctx));
  router.use(requireStaff);
  router.use(async (req: Request, res: Response, next) => {
    res.locals.menu = menuFor(req.staff!.role);
    res.locals.alerts = await listOpenAlerts(ctx.deps.db).catch(() => []);
    // The error page's sign-out form needs a token; made only if an error page is shown.
    res.locals[OPS_CSRF_LOCAL] = () => ctx.csrfToken(req, res);
    next();
  });
  opsRoute(router, 'get', '/', null, (req, res) =>
    renderOps(ctx, req, res, 'home', { roleLabel: ROLE_LABELS[req.staff!.role] }),
  );
  router.use(staffRoutes(ctx));
  for (const section of sections) router.use(section(ctx));
  return router;
}
