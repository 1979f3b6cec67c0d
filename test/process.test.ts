import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../dev/local/ports.js';
import { relocatedClusterDir } from '../dev/local/postgres.js';
import { SMALL_HEAP_FLAGS } from '../src/platform/heap-flags.js';
import { TEST_SECRETS } from './support/context.js';
import { cleanEnv, runProcess } from './support/processes.js';

const repo = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'owabi-process-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The service against the suite's PostgreSQL and Redis, on ports of its own, without a worker. */
async function serviceEnv(extra: Record<string, string> = {}) {
  return cleanEnv({
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    ...TEST_SECRETS,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    WORKER_METRICS_PORT: '0',
    START_WORKER: 'false', // a worker would fulfil other test files' rows in the shared database
    DATA_DIR: mkdtempSync(path.join(scratch, 'data-')),
    ...extra,
  });
}

describe('exit codes', () => {
  it('when a test fails, then the test command exits non-zero', async () => {
    // The file filter keeps the second (PgBouncer) run from running its whole suite: it matches
    // nothing there, which passes; the first run's failure must still fail the command.
    const run = runProcess(
      'npm',
      ['test', '--', '--config', 'test/fixtures/red.vitest.config.ts', 'always-red'],
      {
        cwd: repo,
        env: cleanEnv({}),
      },
    );
    const { code } = await run.exited;
    expect(run.output()).toMatch(/1 failed/);
    expect(code).not.toBe(0);
  }, 120_000);

  it('when an unknown job is asked for, then `npm run job` exits non-zero and says so', async () => {
    const run = runProcess('npm', ['run', 'job', '--', 'no-such-job'], {
      cwd: repo,
      env: await serviceEnv(),
    });
    const { code } = await run.exited;
    expect(run.output()).toContain('unknown job no-such-job');
    expect(code).toBe(1);
  }, 60_000);

  it('when a command-line tool finds no database and no quick start, then it exits 78 saying what to do', async () => {
    const env = cleanEnv({ DATA_DIR: mkdtempSync(path.join(scratch, 'empty-')) });
    const run = runProcess('npm', ['run', 'migrate'], { cwd: repo, env });
    const { code } = await run.exited;
    expect(run.output()).toContain('run `npm start` first, or set DATABASE_URL');
    expect(code).toBe(78);
  }, 60_000);

  it('when the web port is taken, then start-up stops with one sentence, no stack trace', async () => {
    const env = await serviceEnv();
    const blocker = net.createServer().listen(Number(env.PORT), '127.0.0.1');
    try {
      const run = runProcess('node', ['--import', 'tsx', 'src/app/main.ts'], { cwd: repo, env });
      const { code } = await run.exited;
      expect(run.output()).toContain(`Port ${env.PORT} is taken`);
      expect(run.output()).not.toMatch(/\n\s+at /);
      expect(code).toBe(1);
    } finally {
      blocker.close();
    }
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('when SIGTERM arrives during a slow request, then the request completes and the service exits 0', async () => {
    const env = await serviceEnv();
    const service = runProcess('node', ['--import', 'tsx', 'src/app/main.ts'], { cwd: repo, env });
    await service.waitFor(/Owabi is running/);

    // A login post whose body arrives slowly: in flight when the signal comes.
    const body = 'registrationCode=x&loginKey=y';
    const socket = net.connect(Number(env.PORT), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(
      'POST /c/demo/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    service.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(service.child.exitCode).toBeNull(); // still waiting for the request
    socket.end(body.slice(5));
    await closed;

    expect(response).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(await service.exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});

describe('web processes', () => {
  it('when the service starts, then each web process runs with the small-heap flags and without the owner database URL', async () => {
    const service = runProcess('node', ['--import', 'tsx', 'src/app/main.ts'], {
      cwd: repo,
      env: await serviceEnv({ WEB_CONCURRENCY: '2', MIGRATION_DATABASE_URL: inject('databaseUrl') }),
    });
    try {
      await service.waitFor(/Owabi is running/);
      const pid = service.child.pid!;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
      const argvs = children.map((c) => readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0'));
      expect(argvs).toHaveLength(2);
      for (const argv of argvs) {
        expect(argv).toEqual(expect.arrayContaining(SMALL_HEAP_FLAGS));
        expect(argv.at(-2)).toMatch(/src\/app\/main\.ts$/);
      }
      for (const child of children) {
        const environ = readFileSync(`/proc/${child}/environ`, 'utf8').split('\0');
        expect(environ).toContain('OWABI_ROLE=web');
        // Not echoed on failure: the value is a database password.
        expect(environ.some((e) => e.startsWith('MIGRATION_DATABASE_URL='))).toBe(false);
      }
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 60_000);
});

describe('the quick start', () => {
  it('when cloned as root into a 0700 folder whose path has spaces and Japanese, then `npm start` serves and stops', async () => {
    const closed = mkdtempSync(path.join(scratch, 'closed-'));
    chmodSync(closed, 0o700);
    const checkout = path.join(closed, 'お詫び サービス', 'owabi');
    mkdirSync(checkout, { recursive: true });
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: repo,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f && existsSync(path.join(repo, f))); // a tracked file deleted in the work tree is gone
    for (const f of files) {
      mkdirSync(path.dirname(path.join(checkout, f)), { recursive: true });
      cpSync(path.join(repo, f), path.join(checkout, f), { preserveTimestamps: true });
    }
    symlinkSync(path.join(repo, 'node_modules'), path.join(checkout, 'node_modules'));

    const ports = {
      PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      REDIS_PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
    };
    const env = cleanEnv({ ...ports, NODE_ENV: '', CI: '' });
    for (const name of Object.keys(TEST_SECRETS)) delete env[name];
    // What `npm start` runs (npm itself reports a signal as its own exit status).
    const service = runProcess('bash', ['scripts/start.sh'], { cwd: checkout, env });
    try {
      await service.waitFor(/ログインキー: [0-9A-Z-]+/, 150_000);
      expect(service.output()).not.toContain('Installing npm dependencies');
      const page = await fetch(`http://127.0.0.1:${ports.PORT}/c/demo`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('ご登録用コード');
      const ready = await fetch(`http://127.0.0.1:${ports.PORT}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
      const metrics = await fetch(`http://127.0.0.1:${ports.METRICS_PORT}/metrics`);
      expect(await metrics.text()).toContain('owabi_http_request_duration_seconds');
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.output()).not.toMatch(/\n\s+at /);
    rmSync(relocatedClusterDir(path.join(checkout, '.data', 'pg')), { recursive: true, force: true });
  }, 240_000);
});
