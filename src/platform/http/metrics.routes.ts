import { Router, type RequestHandler } from 'express';
import { httpDuration, registry } from '../metrics.js';

/** Times every request by its route pattern (never the concrete path: no ids in labels). */
export const timeRequests: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer({ method: req.method });
  res.on('finish', () => {
    const route = req.route?.path
      ? `${req.baseUrl}${String(req.route.path)}`.replace(/\/c\/[^/]+/, '/c/:slug')
      : 'other';
    end({ route, status: String(res.statusCode) });
  });
  next();
};

/** Prometheus scrape endpoint; `beforeScrape` refreshes gauges such as queue depth. */
export function metricsRoutes(beforeScrape?: () => Promise<void>): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    await beforeScrape?.().catch(() => undefined);
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  return router;
}
