import type { RequestHandler } from 'express';
import { httpDuration } from '../metrics.js';

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
