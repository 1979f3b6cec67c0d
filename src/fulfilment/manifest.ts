import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { CSV_BOM, csvLine, csvLines, stripBom, type CsvCell } from '../platform/csv.js';
import { campaignObjectKey } from '../platform/storage/storage.js';
import { ShippedFileHeaderWrong } from './fulfilment.errors.js';

/**
 * The files exchanged with the fulfilment vendor: the manifest we send (a copy of personal data,
 * so encrypted in the object store under its campaign, and short-lived) and the shipped file they
 * send back.
 */

/** A batch's manifest; its last segment is the file name the operator downloads. */
export const manifestKey = (campaignId: string, campaignSlug: string, batchId: string) =>
  campaignObjectKey(campaignId, 'manifests', `${campaignSlug}-batch-${batchId}.csv`);

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
 * A manifest through the service's CSV writer (UTF-8 with BOM, formula guard: the name and the
 * address are typed by customers), page by page as it is read. `nextPage` returns the rows after
 * the given line, none at the end.
 */
export function manifestCsv(
  nextPage: (afterLine: number) => Promise<(ManifestRow & { line: number })[]>,
): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(MANIFEST_COLUMNS);
    for (let after = 0; ;) {
      const rows = await nextPage(after);
      if (rows.length === 0) return;
      yield csvLines(rows.map((r) => MANIFEST_COLUMNS.map((c) => r[c])));
      after = rows.at(-1)!.line;
    }
  }
  return Readable.from(chunks());
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
