import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { importCustomers } from '../src/imports/import.service.js';
import { createPool } from '../src/platform/db.js';

/**
 * The import as `npm run import:campaign` runs it, alone in its own process so that its peak RSS is
 * the import's and not the benchmark's. Started by bench/import.ts with one JSON argument; prints
 * one JSON line.
 */
interface ChildArgs {
  databaseUrl: string;
  campaignId: string;
  leakedItemKeys: string[];
  csvPath: string;
  lettersPath: string;
  batchSize: number;
}
const args = JSON.parse(process.argv[2]!) as ChildArgs;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const pool = createPool(args.databaseUrl, 6);
const letters = createWriteStream(args.lettersPath, { flags: 'wx', mode: 0o600 });
const phases: Record<string, number> = {};
const started = performance.now();
const report = await importCustomers(
  { pool, pepper: 'bench-only-pepper-0123456789abcdef0123456789' },
  {
    campaignId: args.campaignId,
    leakedItemKeys: args.leakedItemKeys,
    input: createReadStream(args.csvPath),
    letters,
    batchSize: args.batchSize,
    onProgress: ({ rowsRead }) => process.stderr.write(`\r${rowsRead} rows`),
    onPhase: (phase, ms) => (phases[phase] = Math.round(ms)),
  },
);
letters.end();
await finished(letters);
const ms = performance.now() - started;
clearInterval(sampler);
await pool.end();
process.stderr.write('\n');
console.log(
  JSON.stringify({
    ms,
    phases,
    // User + system CPU of every thread of this process (the worker threads included).
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    peakRssSampled: Math.max(peakRss, process.memoryUsage().rss),
    maxRss: process.resourceUsage().maxRSS * 1024,
    report: {
      ...report,
      badRows: report.badRows.slice(0, 5),
      likelyDuplicates: report.likelyDuplicates.slice(0, 5),
    },
  }),
);
