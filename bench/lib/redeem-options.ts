import os from 'node:os';
import { parseArgs } from 'node:util';
import { resolveNodeRuntime, type NodeRuntime } from './node-runtime.js';

/** The options of `npm run bench:redeem`; `--help` prints them. */
export interface RedeemOptions {
  durationS: number;
  warmupS: number;
  clients: number;
  webProcesses: number;
  customers: number;
  /** Empty campaigns besides the bench's, each with its partitions (many campaigns in one database). */
  otherCampaigns: number;
  dbPoolSize: number;
  nodeEnv: string;
  ephemeral: boolean;
  distinctIps: boolean;
  skipBaseline: boolean;
  cpuProf: boolean;
  /** Run the TypeScript through tsx instead of the compiled JavaScript production runs. */
  tsx: boolean;
  pgStatStatements: boolean;
  keep: boolean;
  withWorker: boolean;
  /** The node binary for the service, the baseline and the load client. */
  node: NodeRuntime;
  webNodeArgs: string[];
  clientNodeArgs: string[];
  quietWaitS: number;
  maxOtherCores: number;
  attempts: number;
}

const HELP = `npm run bench:redeem -- [options]
  --duration S            measured seconds per scenario (20)
  --warmup S              warm-up seconds before each measurement, not counted (5)
  --clients N             concurrent virtual customers (64)
  --web-processes N       WEB_CONCURRENCY of the service, and processes of the baseline (one per core)
  --customers N           customers to seed; each is used once (200000)
  --other-campaigns N     empty campaigns (with their partitions) besides the bench's (0)
  --db-pool-size N        DB_POOL_SIZE per web process, and the baseline's pool (20)
  --node-env ENV          NODE_ENV of the service (test: view cache on, plain-HTTP cookies)
  --ephemeral             PostgreSQL with fsync/synchronous_commit off (default: durable)
  --distinct-client-ips   one X-Forwarded-For address per customer, TRUST_PROXY_HOPS=1
  --skip-baseline         no baseline run
  --tsx                   run src/ through tsx (default: compiled with tsc first, as production runs)
  --cpu-prof              node --cpu-prof on the web processes; prints a summary of the window
  --pg-stat-statements    load pg_stat_statements; prints statements per redemption
  --with-worker           let the service start its job worker too (START_WORKER=true); it
                          then shares the cores, and its RSS is reported apart
  --node lts|current|PATH node for the service, the baseline and the load client: lts = Node 24,
                          as the production image (installed into .cache like CI does); default lts
  --web-node-args=ARGS    extra node flags for the service, space-separated (e.g. =--perf-basic-prof)
  --client-node-args=ARGS the same for the load client process
  --quiet-wait S          before each run, wait up to S seconds for other work on the machine to stop (120)
  --max-other-cores X     a run during which other processes used more than X cores is repeated (0.25)
  --attempts N            at most N runs per scenario (3); the last one is reported, flagged
  --keep                  keep the temporary directory (database, logs)`;

function readFlags() {
  return parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      clients: { type: 'string', default: '64' },
      'web-processes': { type: 'string', default: String(os.cpus().length) },
      customers: { type: 'string', default: '200000' },
      'other-campaigns': { type: 'string', default: '0' },
      'db-pool-size': { type: 'string', default: '20' },
      'node-env': { type: 'string', default: 'test' },
      ephemeral: { type: 'boolean', default: false },
      'distinct-client-ips': { type: 'boolean', default: false },
      'skip-baseline': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      'pg-stat-statements': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'with-worker': { type: 'boolean', default: false },
      node: { type: 'string', default: 'lts' },
      'web-node-args': { type: 'string', default: '' },
      'client-node-args': { type: 'string', default: '' },
      'quiet-wait': { type: 'string', default: '120' },
      'max-other-cores': { type: 'string', default: '0.25' },
      attempts: { type: 'string', default: '3' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}

/** An integer of at least `min` (1: a count that must not be empty), or a clear error. */
function intAtLeast(min: 0 | 1, name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be ${min ? 'a positive integer' : 'an integer ≥ 0'} (got ${raw})`);
  return n;
}

/** A number ≥ 0, or the default when the flag is not one. */
function nonNegativeOr(raw: string | undefined, fallback: number): number {
  return Number(raw) >= 0 ? Number(raw) : fallback;
}

/** Reads the command line; `--help` prints the options and exits. */
export function parseRedeemOptions(): RedeemOptions {
  const flags = readFlags();
  if (flags.help) {
    console.log(HELP);
    process.exit(0);
  }
  return {
    durationS: intAtLeast(1, 'duration', flags.duration),
    warmupS: nonNegativeOr(flags.warmup, 5),
    clients: intAtLeast(1, 'clients', flags.clients),
    webProcesses: intAtLeast(1, 'web-processes', flags['web-processes']),
    customers: intAtLeast(1, 'customers', flags.customers),
    otherCampaigns: intAtLeast(0, 'other-campaigns', flags['other-campaigns']),
    dbPoolSize: intAtLeast(1, 'db-pool-size', flags['db-pool-size']),
    nodeEnv: flags['node-env']!,
    ephemeral: flags.ephemeral!,
    distinctIps: flags['distinct-client-ips']!,
    skipBaseline: flags['skip-baseline']!,
    cpuProf: flags['cpu-prof']!,
    tsx: flags.tsx!,
    pgStatStatements: flags['pg-stat-statements']!,
    keep: flags.keep!,
    withWorker: flags['with-worker']!,
    node: resolveNodeRuntime(flags.node!),
    webNodeArgs: flags['web-node-args']!.split(' ').filter(Boolean),
    clientNodeArgs: flags['client-node-args']!.split(' ').filter(Boolean),
    quietWaitS: nonNegativeOr(flags['quiet-wait'], 120),
    maxOtherCores: nonNegativeOr(flags['max-other-cores'], 0.25),
    attempts: intAtLeast(1, 'attempts', flags.attempts),
  };
}
