import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { normaliseCodeInput } from '../customers/codes.js';
import { csvLines } from '../platform/csv.js';
import { csvRecords, CsvFormatError, type CsvRecord } from '../platform/csv-records.js';
import { CUSTOMER_CSV_COLUMNS } from './customer-csv.schema.js';
import { LETTER_COLUMNS, LETTER_HEADER } from './import.encoding.js';
import { readHeader } from './import.rows.js';
import { IMPORT_TEXT } from './imports.messages.js';

/**
 * Files of a customer import run, all owner-only (0600) under DATA_DIR: the uploaded CSV (personal
 * data, deleted when the run ends) and the letter print file (the only copy of the login keys,
 * deleted once downloaded).
 */
export const importUploadPath = (dataDir: string, runId: string) =>
  path.resolve(dataDir, 'imports', `run-${runId}.csv`);
export const lettersPath = (dataDir: string, runId: string) =>
  path.resolve(dataDir, 'letters', `run-${runId}-letters.csv`);

export async function ensurePrivateDir(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
}

export async function exists(file: string): Promise<boolean> {
  return open(file, 'r').then(
    async (h) => {
      await h.close();
      return true;
    },
    () => false,
  );
}

/** Moves an uploaded file to its run's place (same file system: a rename, never a copy). */
export async function moveUpload(from: string, to: string): Promise<void> {
  await ensurePrivateDir(to);
  await rename(from, to);
}

/**
 * A CSV problem worded for the operator without quoting the file: a header that is really a data
 * row (a file without a header) would otherwise put a customer's name into the report.
 */
export function describeCsvError(err: CsvFormatError): string {
  if (!err.reason.startsWith('見出し行')) return IMPORT_TEXT.atLine(err.line, err.reason);
  const missing = /不足: ([a-z_, ]+)/.exec(err.reason)?.[1];
  return IMPORT_TEXT.badHeader(err.line, missing, CUSTOMER_CSV_COLUMNS);
}

/** Reads only the first line: a wrong file is refused at upload, before a run is queued. */
export async function checkCustomerCsvHeader(file: string): Promise<string | null> {
  const handle = await open(file, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const nl = head.indexOf(10);
  if (nl < 0 && head.length === 64 * 1024) return IMPORT_TEXT.headerTooLong;
  try {
    const firstLine = nl >= 0 ? head.subarray(0, nl + 1) : head;
    for await (const records of csvRecords(Readable.from([firstLine]))) {
      if (records[0]) readHeader(records[0]);
      return null;
    }
    return IMPORT_TEXT.atLine(1, IMPORT_TEXT.noHeader);
  } catch (err) {
    if (err instanceof CsvFormatError) return describeCsvError(err);
    throw err;
  }
}

/**
 * After an interrupted run: keeps the header and the letters whose registration code is in the
 * database, drops the rest (letters of a batch that was rolled back, or a half-written last line).
 * The letters file then holds exactly the committed customers, so the run can append to it.
 * Returns how many letters were kept.
 */
export async function reconcileLetters(
  file: string,
  existing: (codes: string[]) => Promise<Set<string>>,
): Promise<number> {
  if (!(await exists(file))) return 0;
  const tmp = `${file}.reconcile`;
  const out = createWriteStream(tmp, { flags: 'w', mode: 0o600 });
  out.on('error', () => undefined);
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
  let kept = 0;
  const flush = async (rows: CsvRecord[]) => {
    if (rows.length === 0) return;
    // The letter prints the registration code in groups of four; the database holds it bare.
    const code = (r: CsvRecord) => normaliseCodeInput(r.fields[0]!);
    const found = await existing(rows.map(code));
    const keep = rows.filter((r) => found.has(code(r)));
    kept += keep.length;
    // Written back as read: a guarded cell starts with ' and the guard leaves it as it is.
    if (keep.length > 0) await write(csvLines(keep.map((r) => r.fields)));
  };
  try {
    await write(LETTER_HEADER);
    const columns = LETTER_COLUMNS.length;
    let pending: CsvRecord[] = [];
    let first = true;
    try {
      for await (const records of csvRecords(createReadStream(file))) {
        for (const rec of records) {
          if (first && rec.line === 1) {
            first = false;
            continue;
          }
          if (rec.error || rec.fields.length !== columns) continue;
          pending.push(rec);
          if (pending.length >= 5_000) {
            await flush(pending);
            pending = [];
          }
        }
      }
    } catch (err) {
      // A last line cut by the crash cannot be parsed; it belonged to an uncommitted batch.
      if (!(err instanceof CsvFormatError)) throw err;
    }
    await flush(pending);
    out.end();
    await finished(out);
    await rename(tmp, file);
    return kept;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
