import { Router } from 'express';
import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';

export interface ReadinessProbe {
  name: string;
  check: () => Promise<void>;
  /**
   * Only PostgreSQL is required to serve customers: without Redis they still redeem (the outbox keeps
   * the work), so a Redis outage is reported but must not take every web node out of the balancer.
   */
  required?: boolean;
}

export function healthRoutes(deps: AppDeps, extraProbes: ReadinessProbe[] = []): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const probes: ReadinessProbe[] = [
      { name: 'postgres', required: true, check: async () => void (await sql`select 1`.execute(deps.db)) },
      ...extraProbes,
    ];
    const results = await Promise.all(
      probes.map(async (p) => {
        try {
          await p.check();
          return [p, 'ok'] as const;
        } catch {
          return [p, 'down'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results.map(([p, s]) => [p.name, s]));
    const ready = results.every(([p, s]) => s === 'ok' || !p.required);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });
  return router;
}
