import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../dev/local/ports.js';
import { TEST_SECRETS } from './support/context.js';
import { useIsolatedServices } from './support/isolated.js';
import { cleanEnv, runProcess } from './support/processes.js';

const repo = path.resolve(import.meta.dirname, '..');
// A database of its own: a worker relays and fulfils whatever it finds.
const iso = useIsolatedServices();

describe('a worker while Redis is down', () => {
  it('when SIGTERM arrives, then it stops within its grace period and exits 0, logging the outage once', async () => {
    const env = cleanEnv({
      ...TEST_SECRETS,
      DATABASE_URL: iso.config.DATABASE_URL,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`, // nothing listens there
      SHUTDOWN_TIMEOUT_MS: '1500',
      WORKER_METRICS_PORT: '0',
      NODE_ENV: 'test',
    });
    const worker = runProcess('node', ['--import', 'tsx', 'jobs/worker.ts'], { cwd: repo, env });
    await worker.waitFor(/worker started/);
    await new Promise((r) => setTimeout(r, 1_000));
    const started = Date.now();
    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(worker.output().match(/worker connection problem/g)?.length ?? 0).toBeLessThanOrEqual(3);
  }, 60_000);
});
