import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitForPort, type LocalService } from '../../dev/local/ports.js';

/**
 * A PgBouncer in transaction pooling mode in front of the test PostgreSQL, as deployments run it:
 * each transaction may get another server connection, so nothing the application leaves on a
 * session (advisory locks, temporary tables, SET) survives into its next statement. Debian's
 * package (scripts/test.sh installs it).
 */
export interface LocalPgBouncer extends LocalService {
  /** The same database through a pool of one server connection: every client shares one session. */
  singleServerUrl: string;
}

/** The one server connection pool's name, for the probe that shows sessions being shared. */
const SINGLE_SUFFIX = '_single';

function pgbouncerBinary(): string {
  const candidates = [process.env.PGBOUNCER_PATH, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) {
    throw new Error(
      'pgbouncer was not found: install it (Debian: apt-get install pgbouncer), or run `npm test`.',
    );
  }
  return found;
}

/** PgBouncer refuses to run as root: it then runs as the `postgres` user (Debian's package has it). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error('pgbouncer cannot run as root and there is no postgres user');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

function writeConfig(dir: string, server: URL, port: number): string {
  const user = decodeURIComponent(server.username);
  const database = server.pathname.slice(1);
  const target = `host=${server.hostname} port=${server.port || 5432} dbname=${database}`;
  const userlist = path.join(dir, 'userlist.txt');
  // A plain-text password lets PgBouncer answer the client's SCRAM and log in to PostgreSQL with it.
  writeFileSync(userlist, `${quoted(user)} ${quoted(decodeURIComponent(server.password))}\n`, {
    mode: 0o600,
  });
  const ini = path.join(dir, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = ${target}`,
      `${database}${SINGLE_SUFFIX} = ${target} pool_size=1`,
      // Databases of a test file's own (test/support/isolated.ts), under their own names.
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'pool_mode = transaction',
      // Idle server connections taken in turn, not the last one used, and always a few of them:
      // SQL relying on its session's state from an earlier transaction fails, not passes by luck.
      'server_round_robin = 1',
      'min_pool_size = 3',
      'auth_type = scram-sha-256',
      `auth_file = ${userlist}`,
      `stats_users = ${user}`, // the admin console's SHOW commands (database pgbouncer), for the probes
      'max_client_conn = 2000',
      'default_pool_size = 40',
      'log_connections = 0',
      'log_disconnections = 0',
      'logfile =',
      'pidfile =',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return ini;
}

/** Starts PgBouncer in front of `serverUrl` (a PostgreSQL role's URL); clients use its password. */
export async function startPgBouncer(opts: { dir: string; serverUrl: string }): Promise<LocalPgBouncer> {
  const bin = pgbouncerBinary();
  const user = runAs();
  const server = new URL(opts.serverUrl);
  const port = await freePort();
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const ini = writeConfig(opts.dir, server, port);
  if (user)
    for (const f of [opts.dir, ini, path.join(opts.dir, 'userlist.txt')]) chownSync(f, user.uid, user.gid);
  const child = spawn(bin, [ini], { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (tail = (tail + chunk).slice(-2000)));
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  await Promise.race([
    waitForPort(port, 10_000),
    new Promise((_, reject) =>
      child.once('exit', (code) => reject(new Error(`pgbouncer exited (${code}): ${tail}`))),
    ),
  ]);
  const url = (database: string) => {
    const u = new URL(opts.serverUrl);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const database = server.pathname.slice(1);
  return {
    url: url(database),
    singleServerUrl: url(`${database}${SINGLE_SUFFIX}`),
    stop: async () => {
      process.off('exit', stopOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM'); // immediate shutdown: the test PostgreSQL stops next anyway
      });
    },
  };
}
