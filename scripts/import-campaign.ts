import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { saveCampaignDefinition } from '../src/campaigns/campaign.service.js';
import { ImportAbortedError, importCustomers, type ImportReport } from '../src/imports/import.service.js';
import { loadCliConfig } from '../src/app/cli-config.js';
import { createDb, createPool } from '../src/platform/db.js';
import { isAppError } from '../src/platform/errors.js';

/**
 * `npm run import:campaign -- --definition campaign.json --customers customers.csv --letters letters.csv`
 * Saves the campaign definition, imports the notified customers and writes the letter print file.
 * Exit codes: 0 all rows fine, 2 some rows were bad (reported, not imported), 1 the import failed,
 * 64 wrong usage, 78 configuration missing. Prints counts and line numbers only: no personal data.
 */
const USAGE =
  'usage: npm run import:campaign -- --definition <campaign.json> --customers <customers.csv> --letters <letters.csv> [--batch-size N]';

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      definition: { type: 'string' },
      customers: { type: 'string' },
      letters: { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(64, `${(e as Error).message}\n${USAGE}`);
}
if (args.help) fail(0, USAGE);
const { definition, customers, letters } = args;
if (!definition || !customers || !letters) fail(64, USAGE);
const batchSize = args['batch-size'] ? Number(args['batch-size']) : undefined;
if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize > 0))
  fail(64, '--batch-size must be a positive integer');

const config = loadCliConfig();
if (existsSync(letters)) {
  fail(
    64,
    `${letters} already exists. Choose a new path: an earlier letter file may hold the only copy of login keys.`,
  );
}
if (!existsSync(customers)) fail(64, `${customers} does not exist`);

let campaignJson: unknown;
try {
  campaignJson = JSON.parse(await fs.readFile(definition, 'utf8'));
} catch (e) {
  fail(64, `cannot read the campaign definition ${definition}: ${(e as Error).message}`);
}

function printReport(r: ImportReport): void {
  console.log(`rows read:         ${r.rowsRead}`);
  console.log(`imported:          ${r.imported}`);
  console.log(`already imported:  ${r.alreadyImported}`);
  console.log(`bad rows:          ${r.badRowCount}`);
  for (const b of r.badRows) console.log(`  line ${b.line}: ${b.column}: ${b.message}`);
  if (r.badRowCount > 0 && r.badRows.length < r.badRowCount) console.log('  … (first entries only)');
  console.log(`likely duplicates: ${r.likelyDuplicateCount}`);
  for (const d of r.likelyDuplicates) {
    console.log(`  line ${d.line}: same person as registration code ${d.existingRegistrationCode}`);
  }
  if (r.likelyDuplicates.length < r.likelyDuplicateCount) console.log('  … (first entries only)');
  const perSecond = r.durationMs > 0 ? Math.round(r.rowsRead / (r.durationMs / 1000)) : r.rowsRead;
  console.log(`took:              ${(r.durationMs / 1000).toFixed(1)} s (${perSecond} rows/s)`);
}

const pool = createPool(config.DATABASE_URL, 2);
const db = createDb(pool);
let exitCode = 0;
try {
  const campaign = await saveCampaignDefinition(db, campaignJson).catch((e: unknown) => {
    if (isAppError(e)) {
      const fields = Object.entries(e.fields).map(([k, v]) => `  ${k}: ${v}`);
      fail(64, `${definition}: ${e.publicMessage}\n${fields.join('\n')}`);
    }
    throw e;
  });
  console.log(`campaign ${campaign.slug} (id ${campaign.id}) saved; importing ${customers} …`);
  const out = createWriteStream(letters, { flags: 'wx', mode: 0o600 });
  let report: ImportReport;
  try {
    report = await importCustomers(
      { pool, pepper: config.LOGIN_KEY_PEPPER, publicBaseUrl: config.PUBLIC_BASE_URL },
      {
        campaignId: campaign.id,
        leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
        input: createReadStream(customers),
        letters: out,
        ...(batchSize ? { batchSize } : {}),
        onProgress: ({ rowsRead, imported }) =>
          process.stderr.write(`\r${rowsRead} rows read, ${imported} imported`),
      },
    );
  } catch (e) {
    out.end();
    await finished(out).catch(() => undefined);
    if (!(e instanceof ImportAbortedError)) throw e;
    process.stderr.write('\n');
    printReport(e.report);
    console.error(`\n${e.message}`);
    if (e.commitUncertain) {
      console.error(
        `The last batch may or may not have been saved. ${letters} is kept whole: its first ${e.committedLetterBytes} bytes are certain; check the codes after that in the database before printing them.`,
      );
    } else if (e.report.imported === 0) {
      await fs.rm(letters, { force: true });
      console.error('Nothing was imported; the letter file was removed. Fix the problem and run again.');
    } else {
      await fs.truncate(letters, e.committedLetterBytes);
      console.error(
        `${e.report.imported} customers were saved and their letters are in ${letters}: KEEP IT, it is the only copy of their login keys. Fix the problem and run again with a new --letters path: rows already imported are skipped.`,
      );
    }
    exitCode = 1;
    throw e;
  }
  out.end();
  await finished(out);
  process.stderr.write('\n');
  printReport(report);
  console.log(`letters: ${letters} (${report.imported} letters; mode 0600)`);
  exitCode = report.badRowCount > 0 ? 2 : 0;
} catch (e) {
  if (exitCode === 0) console.error(`import failed: ${(e as Error).message}`);
  exitCode = 1;
} finally {
  await db.destroy();
}
process.exit(exitCode);
