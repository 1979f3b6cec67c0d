import cluster from 'node:cluster';

/**
 * `npm run start:prod`: the primary (no OWABI_ROLE) migrates and supervises; it forks the web
 * processes with node:cluster (OWABI_ROLE=web) and the worker from jobs/worker. DATABASE_URL and
 * REDIS_URL are required here; `npm start` (dev/quick-start.ts) runs its own servers first.
 * Each role loads only its own modules: the primary never loads the app, a web process never the
 * migrations (memory per process; see the README's benchmarks).
 */
if (cluster.isPrimary && !process.env.OWABI_ROLE) await (await import('./start.js')).startPrimary();
else await (await import('./start-web.js')).startWeb();
