import { describe, expect, it } from 'vitest';
import { OPS_ROUTES, type OpsRouteSpec } from '../src/operators/ops.registry.js';
import { ALL_PERMISSIONS, can, ROLES } from '../src/operators/permissions.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { OpsBrowser, staffSessions } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps); // registers every operator route in OPS_ROUTES
const { signedIn } = staffSessions(app, deps);

/**
 * The only console routes open to every signed-in operator whatever the role: the home page and
 * one's own password. Any other route names the permission it needs; adding one here is a decision.
 */
const OPEN_TO_EVERY_OPERATOR = ['GET /', 'GET /account/password', 'POST /account/password'];

const nameOf = (r: OpsRouteSpec) => `${r.method.toUpperCase()} ${r.path}`;

// Path parameters point at nothing: a permitted role then gets 404 or 400, a forbidden one 403 first.
const concrete = (path: string) => `/ops${path.replace(/:[A-Za-z]+/g, '0')}`.replace(/\/$/, '') || '/ops';

const call = (ops: OpsBrowser, route: OpsRouteSpec, _csrf: string) =>
  route.method === 'get'
    ? ops.agent.get(concrete(route.path))
    : ops.agent.post(concrete(route.path)).type('form').send({ _csrf });

describe('the role matrix: every operator route against every role', () => {
  it('when the console routes are listed, then each names a permission, or is one of the few every operator may open', () => {
    expect(OPS_ROUTES.length).toBeGreaterThan(20);
    const unguarded = OPS_ROUTES.filter((r) => r.permission === null).map(nameOf);
    expect(unguarded.filter((name) => !OPEN_TO_EVERY_OPERATOR.includes(name))).toEqual([]);
    // The allow-list names real open routes: a stale entry would wave a future route through.
    expect(OPEN_TO_EVERY_OPERATOR.filter((name) => !unguarded.includes(name))).toEqual([]);
    const unknown = OPS_ROUTES.filter(
      (r) => r.permission !== null && !ALL_PERMISSIONS.includes(r.permission),
    );
    expect(unknown.map(nameOf)).toEqual([]);
  });

  for (const role of ROLES) {
    it(`when a ${role} calls every operator route, then each route needing a permission the role lacks answers 403, and no other does`, async () => {
      const lacking = OPS_ROUTES.filter((r) => r.permission !== null && !can(role, r.permission));
      if (role !== 'admin') expect(lacking.length, 'routes this role may not use').toBeGreaterThan(0);
      const { ops } = await signedIn(role);
      const token = await ops.token('/ops');
      const wrong: string[] = [];
      for (const route of OPS_ROUTES) {
        const res = await call(ops, route, token);
        const needs = route.permission ?? 'no permission';
        if (lacking.includes(route) && res.status !== 403)
          wrong.push(`${nameOf(route)} needs ${needs}: answered ${res.status}, not 403`);
        if (!lacking.includes(route) && res.status === 403)
          wrong.push(`${nameOf(route)} needs ${needs}, which a ${role} has: answered 403`);
        if (res.status >= 500) wrong.push(`${nameOf(route)}: server error ${res.status}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('when nobody is signed in, then every operator route sends to the sign-in page', async () => {
    const anon = new OpsBrowser(app);
    const token = await anon.token('/ops/login');
    for (const route of OPS_ROUTES) {
      const res = await call(anon, route, token);
      expect([303, 403], nameOf(route)).toContain(res.status);
      if (res.status === 303) expect(res.headers.location).toBe('/ops/login');
    }
  });
});
