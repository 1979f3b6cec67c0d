import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort, LocalServiceError, portIsFree, waitForPort, type LocalService } from './ports.js';

/**
 * Local stand-ins for managed PostgreSQL and Redis, used only when no DATABASE_URL / REDIS_URL is
 * given: the quick start, the tests and the benchmarks. Both are the real servers.
 */
export { freePort, LocalServiceError, type LocalService } from './ports.js';
export { startEmbeddedPostgres, type PostgresOptions } from './postgres.js';
export type { LocalPostgres } from './environment.js';

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    const p = path.join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Finds redis-server, installing Debian's package when we are root and may. */
export function ensureRedisServer(log: (line: string) => void = console.log): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() === 0 && which('apt-get') && process.env.OWABI_NO_INSTALL !== '1') {
    log('redis-server is missing: installing Debian package redis-server …');
    execFileSync(
      'bash',
      ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'],
      {
        stdio: 'inherit',
      },
    );
    const installed = which('redis-server');
    if (installed) return installed;
  }
  throw new LocalServiceError(
    'redis-server was not found. Install it (Debian: apt-get install redis-server) or set REDIS_URL to a running Redis.',
  );
}

export interface RedisOptions {
  dataDir: string;
  port?: number;
  ephemeral?: boolean;
}

export async function startLocalRedis(opts: RedisOptions): Promise<LocalService> {
  const bin = ensureRedisServer();
  const port = opts.port ?? (await freePort());
  if (!(await portIsFree(port))) {
    throw new LocalServiceError(
      `Port ${port} for the local Redis is taken: stop the other Owabi, or set REDIS_PORT or REDIS_URL.`,
    );
  }
  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--appendonly',
    opts.ephemeral ? 'no' : 'yes',
    '--protected-mode',
    'yes',
  ];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  await waitForPort(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      process.off('exit', stopOnExit);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
