import { Router, type Request, type Response } from 'express';
import { listOpenAlerts } from '../erasure/deadline.service.js';
import { can, type Permission } from './permissions.js';
import { opsAuthRoutes } from './auth.routes.js';
import { requireStaff } from './ops.middleware.js';
import { renderOps, type OpsContext } from './ops.context.js';
import { opsRoute } from './ops.registry.js';
import { staffRoutes } from './staff.routes.js';

/** The console's sections, shown in the menu to those whose role allows them. */
export const OPS_SECTIONS: { href: string; label: string; permission: Permission }[] = [
  { href: '/ops/postcards', label: 'はがき入力', permission: 'postcards' },
  { href: '/ops/contact', label: 'コンタクトセンター', permission: 'contact' },
  { href: '/ops/campaigns', label: 'キャンペーン', permission: 'campaigns' },
  { href: '/ops/fulfilment', label: '発送・寄付', permission: 'fulfilment' },
  { href: '/ops/jobs', label: 'ジョブ', permission: 'jobs' },
  { href: '/ops/reports', label: 'レポート', permission: 'reports' },
  { href: '/ops/audit', label: '監査ログ', permission: 'audit' },
  { href: '/ops/staff', label: 'スタッフ', permission: 'staff' },
];

export type OpsRouterFactory = (ctx: OpsContext) => Router;

/**
 * Mounted at /ops. Sign-in pages are public; everything after `requireStaff` needs an operator,
 * and each route declares its permission through `opsRoute`.
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
    res.locals.menu = OPS_SECTIONS.filter((s) => can(req.staff!.role, s.permission));
    res.locals.alerts = await listOpenAlerts(ctx.deps.db).catch(() => []);
    next();
  });
  opsRoute(router, 'get', '/', null, (req, res) => renderOps(ctx, req, res, 'home'));
  router.use(staffRoutes(ctx));
  for (const section of sections) router.use(section(ctx));
  return router;
}
