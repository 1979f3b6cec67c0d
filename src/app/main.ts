import cluster from 'node:cluster';
import { startPrimary, startWeb } from './start.js';

/**
 * `npm run start:prod`: the primary (no OWABI_ROLE) migrates and supervises; it forks the web
 * processes with node:cluster (OWABI_ROLE=web) and the worker from jobs/worker. DATABASE_URL and
 * REDIS_URL are required here; `npm start` (dev/quick-start.ts) runs its own servers first.
 */
if (cluster.isPrimary && !process.env.OWABI_ROLE) await startPrimary();
else await startWeb();
