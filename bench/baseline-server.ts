import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';

/**
 * The yardstick for `npm run bench:redeem`: a bare Express app whose one route does one PostgreSQL
 * insert per request, against the same database, with the same number of processes and the same
 * pool size as the service. Env: DATABASE_URL, PORT, HOST, WORKERS (processes), DB_POOL_SIZE.
 * The table: bench_baseline (id bigint identity, v text, at timestamptz), created by the bench.
 */
const workers = Number(process.env.WORKERS ?? 1);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = () => {
    const all = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    Promise.all(all.map((w) => new Promise((r) => (w.once('exit', r), w.kill('SIGTERM'))))).finally(() =>
      process.exit(0),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 20),
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/insert', async (_req, res) => {
    await pool.query('INSERT INTO bench_baseline(v) VALUES ($1)', [randomUUID()]);
    res.status(204).end();
  });
  const server = app.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  const stop = () => {
    server.close();
    server.closeAllConnections();
    pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
