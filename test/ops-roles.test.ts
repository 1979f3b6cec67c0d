import { describe, expect, it } from 'vitest';
import { OPS_ROUTES } from '../src/operators/ops.registry.js';
import { can, ROLES } from '../src/operators/permissions.js';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

const deps = useTestDeps();
const app = createApp(deps); // registers every operator route in OPS_ROUTES

// Path parameters point at nothing: a permitted role then gets 404 or 400, a forbidden one 403 first.
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '0');

describe('the role matrix: every operator route against every role', () => {
  it('when the routes are listed, then there are many and each names a permission or none', () => {
    expect(OPS_ROUTES.length).toBeGreaterThan(4);
  });

  for (const role of ROLES) {
    it(`when a ${role} calls every operator route, then exactly the routes outside the role get 403`, async () => {
      const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, role));
      const token = await ops.token('/ops');
      const wrong: string[] = [];
      for (const route of OPS_ROUTES) {
        const path = `/ops${concrete(route.path)}`.replace(/\/$/, '') || '/ops';
        const res =
          route.method === 'get'
            ? await ops.agent.get(path)
            : await ops.agent.post(path).type('form').send({ _csrf: token });
        const allowed = route.permission === null || can(role, route.permission);
        if ((res.status === 403) === allowed)
          wrong.push(`${route.method.toUpperCase()} ${route.path} → ${res.status}`);
        if (res.status >= 500)
          wrong.push(`${route.method.toUpperCase()} ${route.path} → ${res.status} (server error)`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('when nobody is signed in, then every operator route sends to the sign-in page', async () => {
    const anon = new OpsBrowser(app);
    const token = await anon.token('/ops/login');
    for (const route of OPS_ROUTES) {
      const path = `/ops${concrete(route.path)}`.replace(/\/$/, '') || '/ops';
      const res =
        route.method === 'get'
          ? await anon.agent.get(path)
          : await anon.agent.post(path).type('form').send({ _csrf: token });
      expect([303, 403], `${route.method} ${route.path}`).toContain(res.status);
      if (res.status === 303) expect(res.headers.location).toBe('/ops/login');
    }
  });
});
