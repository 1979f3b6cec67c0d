import os from 'node:os';
import { parseArgs } from 'node:util';
import { parseRedeemOptions, type RedeemOptions } from './redeem-options.js';

/** The options of `npm run bench:scale`; `--help` prints them. */
export interface ScaleOptions {
  customers: number;
  small: number;
  budgetMin: number;
  /** Customers of a campaign handed to the load client per phase (a random sample of the campaign). */
  sample: number;
  rounds: number;
  chunk: number;
  writers: number;
  durableSeed: boolean;
  /** The options the redeem bench's driver and service are run with (bench/lib/redeem-*.ts). */
  redeem: RedeemOptions;
}

const HELP = `npm run bench:scale -- [options]
  --customers N        customers of the big campaign (30000000), or as many as the budget allows
  --small N            customers of the baseline campaign, same database (200000)
  --budget-min M       minutes for loading the big campaign (15); loading stops after the chunk that passes it
  --duration S         measured seconds of each load phase (20)
  --warmup S           warm-up seconds before each, not counted (5)
  --clients N          concurrent virtual customers (64)
  --sample N           customers of a campaign the load client may use per phase, picked at random (40000)
  --rounds N           load phases per campaign, alternating baseline and big (2); medians are compared
  --chunk N            customers per COPY chunk (50000)
  --writers N          connections loading at once, and as many worker threads making the rows (2)
  --durable-seed       load with the durable settings too (default: bulk-load settings while loading)
  --ephemeral          PostgreSQL with fsync/synchronous_commit off for the measurement as well
  --tsx                run the service through tsx instead of compiled JavaScript
  --quiet-wait S       before each load phase, wait up to S s for other work on the machine to stop (120)
  --max-other-cores X  a phase during which other processes used more than X cores is repeated (0.25)
  --attempts N         at most N runs per phase (3)
  --distinct-client-ips  one X-Forwarded-For address per customer (as bench:redeem's flag)
  --node lts|current|PATH  node for the service and the load client (as bench:redeem's flag; lts)
  --keep               keep the temporary directory (database, logs)`;

function flags() {
  return parseArgs({
    options: {
      customers: { type: 'string', default: '30000000' },
      small: { type: 'string', default: '200000' },
      'budget-min': { type: 'string', default: '15' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      clients: { type: 'string', default: '64' },
      sample: { type: 'string', default: '40000' },
      rounds: { type: 'string', default: '2' },
      chunk: { type: 'string', default: '50000' },
      writers: { type: 'string', default: String(Math.max(1, Math.min(2, os.cpus().length))) },
      'durable-seed': { type: 'boolean', default: false },
      ephemeral: { type: 'boolean', default: false },
      tsx: { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '120' },
      'max-other-cores': { type: 'string', default: '0.25' },
      attempts: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
      'distinct-client-ips': { type: 'boolean', default: false },
      node: { type: 'string', default: 'lts' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
}

/**
 * The redeem bench's own options, from its own parser (so that every field it has keeps its
 * default), given the flags this bench shares with it.
 */
function redeemOptions(args: string[]): RedeemOptions {
  const argv = process.argv;
  process.argv = [argv[0]!, argv[1]!, ...args, '--skip-baseline'];
  try {
    return parseRedeemOptions();
  } finally {
    process.argv = argv;
  }
}

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number (got ${raw})`);
  return n;
}

export function parseScaleOptions(): ScaleOptions {
  const f = flags();
  if (f.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: keyof typeof f) => {
    const n = positive(name, f[name] as string);
    if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
    return n;
  };
  const sample = int('sample');
  const passed = (
    ['duration', 'warmup', 'clients', 'quiet-wait', 'max-other-cores', 'attempts', 'node'] as const
  ).flatMap((k) => [`--${k}`, f[k]!]);
  const switches = (['ephemeral', 'tsx', 'keep', 'distinct-client-ips'] as const)
    .filter((k) => f[k])
    .map((k) => `--${k}`);
  return {
    customers: int('customers'),
    small: int('small'),
    budgetMin: positive('budget-min', f['budget-min']),
    sample,
    rounds: int('rounds'),
    chunk: int('chunk'),
    writers: int('writers'),
    durableSeed: f['durable-seed']!,
    redeem: redeemOptions([...passed, ...switches, '--customers', String(sample)]),
  };
}
