import { parseArgs } from 'node:util';
import { runBenchOn, type NodeRuntime } from './node-runtime.js';

/** The options of `npm run bench:postcards` (see bench/postcards.ts). */
export interface PostcardsOptions {
  customers: number;
  csvCards: number;
  csvFiles: number;
  cards: number;
  warmup: number;
  clerks: number;
  quietWaitS: number;
  ephemeral: boolean;
  keep: boolean;
  /** The node this bench runs on (it ran itself again there: see runBenchOn). */
  node: NodeRuntime;
}

export function parsePostcardsOptions(): PostcardsOptions {
  const { values: flags } = parseArgs({
    options: {
      customers: { type: 'string', default: '1000000' },
      'csv-cards': { type: 'string', default: '100000' },
      'csv-files': { type: 'string', default: '10' },
      cards: { type: 'string', default: '2000' },
      warmup: { type: 'string', default: '200' },
      clerks: { type: 'string', default: '8' },
      'quiet-wait': { type: 'string', default: '120' },
      ephemeral: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      node: { type: 'string', default: 'lts' },
    },
  });
  const num = (name: keyof typeof flags, min: number) => {
    const n = Number(flags[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const opts = {
    customers: num('customers', 1),
    csvCards: num('csv-cards', 1),
    csvFiles: num('csv-files', 1),
    cards: num('cards', 1),
    warmup: num('warmup', 0),
    clerks: num('clerks', 0),
    quietWaitS: num('quiet-wait', 0),
    ephemeral: flags.ephemeral!,
    keep: flags.keep!,
    node: runBenchOn(flags.node!),
  };
  if (opts.csvCards + opts.warmup + opts.cards * 2 + opts.clerks > opts.customers)
    throw new Error('--customers must cover the CSV cards, the warm-up and both entry phases');
  return opts;
}
