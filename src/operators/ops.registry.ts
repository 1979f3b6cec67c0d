import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
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

type Method = 'get' | 'post';

export function opsRoute(
  router: Router,
  method: Method,
  path: string,
  permission: Permission | null,
  ...handlers: RequestHandler[]
): void;
/** A form route: `validate(…)`, the handler, then `rerenderOn(…)` to show a refusal on the form. */
export function opsRoute(
  router: Router,
  method: Method,
  path: string,
  permission: Permission | null,
  ...handlers: [...RequestHandler[], ErrorRequestHandler]
): void;
export function opsRoute(
  router: Router,
  method: Method,
  path: string,
  permission: Permission | null,
  ...handlers: (RequestHandler | ErrorRequestHandler)[]
): void {
  if (!OPS_ROUTES.some((r) => r.method === method && r.path === path))
    OPS_ROUTES.push({ method, path, permission });
  // A route of its own: a refusal goes to the error page, never to an error handler among the
  // route's own (rerenderOn would show the form, with its data, to someone without the permission).
  router[method](path, requirePermission(permission));
  router[method](path, ...handlers);
}
