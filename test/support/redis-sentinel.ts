import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedisServer } from '../../dev/local/services.js';
import { freePort, waitForPort } from '../../dev/local/ports.js';

/**
 * A Redis that fails over, as deployments run it: a master, a replica of it (`replicaof`) and
 * sentinels watching them, each a real Debian redis-server / redis-sentinel (scripts/test.sh
 * installs redis-sentinel) on a free port, with data and configuration in `dir`. The sentinels call
 * the master down after `downAfterMs` without an answer and promote the replica.
 */
export interface SentinelGroup {
  /** The master group's name (REDIS_SENTINEL_MASTER). */
  name: string;
  /** Where the sentinels listen, as the service's config takes them (REDIS_SENTINELS, parsed). */
  sentinels: { host: string; port: number }[];
  /** The first master's and the replica's ports. */
  masterPort: number;
  replicaPort: number;
  /** The master's port as the sentinels give it now. */
  currentMasterPort(): Promise<number>;
  /** SIGKILLs the node that is master now; returns its port. */
  killMaster(): Promise<number>;
  /** Resolves once the sentinels name a master other than the one on `port`. */
  waitForNewMaster(port: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

export interface SentinelGroupOptions {
  dir: string;
  sentinels?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
}

const NAME = 'owabi';

/** Debian's redis-sentinel; else redis-server in sentinel mode (the same program). */
function sentinelCommand(): { bin: string; args: string[] } {
  const candidates = [
    process.env.REDIS_SENTINEL_PATH,
    '/usr/bin/redis-sentinel',
    '/usr/local/bin/redis-sentinel',
  ];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  return found ? { bin: found, args: [] } : { bin: ensureRedisServer(), args: ['--sentinel'] };
}

const nodeArgs = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
  // A replica syncs at once instead of after the default 5 s of waiting for more replicas.
  '--repl-diskless-sync-delay',
  '0',
];

function sentinelConfig(
  port: number,
  dir: string,
  masterPort: number,
  quorum: number,
  o: SentinelGroupOptions,
) {
  const file = path.join(dir, `sentinel-${port}.conf`);
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${NAME} 127.0.0.1 ${masterPort} ${quorum}`,
      `sentinel down-after-milliseconds ${NAME} ${o.downAfterMs ?? 1_000}`,
      `sentinel failover-timeout ${NAME} ${o.failoverTimeoutMs ?? 3_000}`,
      `sentinel parallel-syncs ${NAME} 1`,
      '',
    ].join('\n'),
  ); // the sentinel rewrites it as it learns the group
  return file;
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One command to a node or sentinel on its own short-lived connection. */
async function ask(port: number, ...command: string[]): Promise<unknown> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command[0]!, ...command.slice(1));
  } finally {
    client.disconnect();
  }
}

export async function startSentinelGroup(options: SentinelGroupOptions): Promise<SentinelGroup> {
  const children = new Map<number, ChildProcess>();
  const stopAll = () => {
    for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', stopAll);
  const start = async (port: number, bin: string, args: string[]) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    children.set(port, child);
    await waitForPort(port, 10_000);
  };
  const redisServer = ensureRedisServer();
  const [masterPort, replicaPort] = [await freePort(), await freePort()];
  for (const [port, extra] of [
    [masterPort, []],
    [replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]],
  ] as const) {
    const dir = path.join(options.dir, `node-${port}`);
    mkdirSync(dir, { recursive: true });
    await start(port, redisServer, [...nodeArgs(port, dir), ...extra]);
  }
  // Linked before the sentinels start: their first look at the master then finds the replica.
  await until('the replica to sync', 15_000, async () =>
    /master_link_status:up/.test(String(await ask(replicaPort, 'INFO', 'replication'))) ? true : undefined,
  );
  const count = options.sentinels ?? 1;
  const sentinel = sentinelCommand();
  const sentinels: { host: string; port: number }[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const file = sentinelConfig(port, options.dir, masterPort, Math.floor(count / 2) + 1, options);
    await start(port, sentinel.bin, [file, ...sentinel.args]);
    sentinels.push({ host: '127.0.0.1', port });
  }
  const currentMasterPort = async () =>
    Number(((await ask(sentinels[0]!.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)) as string[])[1]);
  // A sentinel promotes only a replica it has talked to and found linked to the master.
  for (const { port } of sentinels) {
    await until('the sentinels to see the replica linked', 15_000, async () => {
      const [replica] = (await ask(port, 'SENTINEL', 'REPLICAS', NAME)) as string[][];
      const flat = replica?.join(' ') ?? '';
      return / flags slave /.test(flat) && / master-link-status ok /.test(flat) ? true : undefined;
    });
  }
  return {
    name: NAME,
    sentinels,
    masterPort,
    replicaPort,
    currentMasterPort,
    killMaster: async () => {
      const port = await currentMasterPort();
      const child = children.get(port)!;
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGKILL');
      });
      return port;
    },
    waitForNewMaster: (port, timeoutMs = 20_000) =>
      until('the sentinels to promote a replica', timeoutMs, async () => {
        const now = await currentMasterPort();
        return now !== port ? now : undefined;
      }),
    stop: async () => {
      process.off('exit', stopAll);
      await Promise.all(
        [...children.values()]
          .filter((c) => c.exitCode === null && c.signalCode === null)
          .map((c) => new Promise((resolve) => (c.once('exit', resolve), c.kill('SIGTERM')))),
      );
    },
  };
}
