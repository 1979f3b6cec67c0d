import { Router } from 'express';
import { sql } from 'kysely';
import type { AppDeps } from '../deps.js';

export interface ReadinessProbe {
  name: string;
  check: () => Promise<void>;
}

export function healthRoutes(deps: AppDeps, extraProbes: ReadinessProbe[] = []): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const probes: ReadinessProbe[] = [
      { name: 'postgres', check: async () => void (await sql`select 1`.execute(deps.db)) },
      ...extraProbes,
    ];
    const results = await Promise.all(
      probes.map(async (p) => {
        try {
          await p.check();
          return [p.name, 'ok'] as const;
        } catch {
          return [p.name, 'down'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, s]) => s === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  });
  return router;
}
