import type { RequestHandler, Router } from 'express';
import type { Permission } from './permissions.js';
import { requirePermission } from './ops.middleware.js';

/**
 * Every operator route is declared here with the permission it needs, so that the role matrix test
 * can walk all of them for every role and nothing is left unguarded by accident.
 */
export interface OpsRouteSpec {
  method: 'get' | 'post';
  /** Path below /ops, with :params. */
  path: string;
  permission: Permission | null;
}

export const OPS_ROUTES: OpsRouteSpec[] = [];

export function opsRoute(
  router: Router,
  method: 'get' | 'post',
  path: string,
  permission: Permission | null,
  ...handlers: RequestHandler[]
): void {
  if (!OPS_ROUTES.some((r) => r.method === method && r.path === path))
    OPS_ROUTES.push({ method, path, permission });
  router[method](path, requirePermission(permission), ...handlers);
}
