import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { CSV_BOM, csvLine, csvLines, stripBom, type CsvCell } from '../platform/csv.js';
import { ShippedFileHeaderWrong } from './fulfilment.errors.js';

/**
 * The files exchanged with the fulfilment vendor: the manifest we send (a copy of personal data,
 * so owner-only and short-lived) and the shipped file they send back.
 */

export const manifestDir = (dataDir: string) => path.join(dataDir, 'manifests');

export const manifestPath = (dataDir: string, campaignSlug: string, batchId: string) =>
  path.join(manifestDir(dataDir), `${campaignSlug}-batch-${batchId}.csv`);

/**
 * Writes through a temporary file and renames it into place, so the vendor never picks up half a
 * manifest and two writers of the same batch (a cut and a recovery) cannot interleave.
 */
export async function writeFileAtomically(
  file: string,
  write: (out: Writable) => Promise<void>,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await write(createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    await rename(tmp, file);
  } catch (err) {
    await removeFile(tmp);
    throw err;
  }
}

/** The manifest's columns, in order: what the vendor needs to print a label, nothing more. */
export const MANIFEST_COLUMNS = [
  'batch',
  'line',
  'registration_code',
  'name',
  'postal_code',
  'address',
] as const;
export type ManifestRow = Record<(typeof MANIFEST_COLUMNS)[number], CsvCell>;

/** Lines read per query while a manifest is written (a batch has up to 50,000). */
export const MANIFEST_PAGE_LINES = 10_000;

/**
 * Writes a manifest through the service's CSV writer (UTF-8 with BOM, formula guard: the name and
 * the address are typed by customers), page by page, and ends `out`. `nextPage` returns the rows
 * after the given line, none at the end.
 */
export async function writeManifestCsv(
  out: Writable,
  nextPage: (afterLine: number) => Promise<(ManifestRow & { line: number })[]>,
): Promise<void> {
  async function* chunks(): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(MANIFEST_COLUMNS);
    for (let after = 0; ;) {
      const rows = await nextPage(after);
      if (rows.length === 0) return;
      yield csvLines(rows.map((r) => MANIFEST_COLUMNS.map((c) => r[c])));
      after = rows.at(-1)!.line;
    }
  }
  await pipeline(Readable.from(chunks()), out);
}

/** Deletes a file if it is there; a missing file is the goal, not an error. */
export async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const SHIPPED_HEADER = ['batch', 'line', 'tracking_number'] as const;

export const ShippedRowSchema = z.object({
  batch: z.string().regex(/^[1-9]\d{0,17}$/, 'must be a batch number'),
  line: z
    .string()
    .regex(/^[1-9]\d{0,8}$/, 'must be a line number')
    .transform(Number),
  tracking_number: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be 1 to 64 letters, digits or hyphens'),
});
export type ShippedRow = z.infer<typeof ShippedRowSchema>;

export type ShippedFileItem = { line: number; row: ShippedRow } | { line: number; error: string };

/** One line's fields: plain `a,b,c` fast; quoted fields through csv-parse; a malformed line throws. */
function splitLine(text: string): string[] {
  if (!text.includes('"')) return text.split(',').map((f) => f.trim());
  const records = parseCsv(text, { trim: true, relax_column_count: true }) as string[][];
  return records[0] ?? [];
}

/**
 * Reads the vendor's shipped file (`batch,line,tracking_number`), yielding each row validated or
 * with its error and its line in the file. None of the three fields can hold a line break, so the
 * file is read line by line: a broken quote then spoils its own line only, and line numbers are
 * exact. A wrong header stops the import: the columns could not be trusted to mean what they say.
 */
export async function* readShippedFile(input: Readable): AsyncGenerator<ShippedFileItem> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let headerSeen = false;
  for await (const raw of lines) {
    line++;
    // Excel's "CSV UTF-8" starts with a BOM, as our own files do.
    const text = line === 1 ? stripBom(raw) : raw;
    if (text.trim() === '') continue;
    let fields: string[];
    try {
      fields = splitLine(text);
    } catch {
      if (!headerSeen) throw headerError();
      yield { line, error: 'unreadable CSV: a quote is stray or not closed' };
      continue;
    }
    if (!headerSeen) {
      if (fields.join(',').toLowerCase() !== SHIPPED_HEADER.join(',')) throw headerError();
      headerSeen = true;
      continue;
    }
    if (fields.length !== SHIPPED_HEADER.length) {
      yield { line, error: `expected ${SHIPPED_HEADER.length} fields, found ${fields.length}` };
      continue;
    }
    const parsed = ShippedRowSchema.safeParse(
      Object.fromEntries(SHIPPED_HEADER.map((k, i) => [k, fields[i]])),
    );
    yield parsed.success
      ? { line, row: parsed.data }
      : { line, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  if (!headerSeen) throw headerError();
}

const headerError = () => ShippedFileHeaderWrong(SHIPPED_HEADER);
