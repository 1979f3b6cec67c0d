import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for every file the service writes for people to open: the book-card
 * manifests, the letter print files, the suppression export, the reports and the audit export, the
 * customer-CSV template and sample (and, later, the donation ledger export).
 *
 * Use it like this:
 *
 *   import { csvDocument, csvLine, CSV_BOM } from '../platform/csv.js';
 *   const body = csvDocument(['batch', 'name'], [[1, '山田 太郎']]);  // a whole file as a string
 *   out.write(CSV_BOM + csvLine(['batch', 'name']));                 // or streamed: header once,
 *   out.write(csvLines(rows));                                       // then rows chunk by chunk
 *
 * What every file gets:
 * - UTF-8 with a byte-order mark (CSV_BOM first), CRLF line ends, RFC 4180 quoting (csv-stringify:
 *   a field with a comma, a quote or a line break is quoted, quotes doubled). Not Shift_JIS, which
 *   Excel in Japan assumes for a CSV without a BOM: Shift_JIS cannot encode every name. Strict
 *   Shift_JIS (JIS X 0208) has no 髙 or 﨑; Windows' variant (CP932) adds those two, but has no
 *   𠮷 (つちよし) and no emoji, which customers type into free text; and 〜 (U+301C, the wave
 *   dash a Mac types) comes back from CP932 as ～ (U+FF5E). Checked with iconv (SHIFT_JIS, CP932)
 *   and in test/csv.test.ts (every character Windows' Shift_JIS can decode). With the BOM, Excel
 *   opens the file as UTF-8.
 * - A formula guard: a text cell starting with = + - @ tab or carriage return gets a leading
 *   apostrophe, so a spreadsheet shows it as text instead of running it (an address or a name is
 *   typed by a customer; "=HYPERLINK(...)" must stay words). Numbers are never guarded (-3 stays a
 *   number). The guard is idempotent (a guarded cell starts with ' and is left alone) and can be
 *   undone with unguardCell by a program that must match a value exactly.
 *
 * Readers: every reader of these files must drop the BOM (stripBom, csv-parse `bom: true`, or the
 * import's csvRecords, which does). What the service itself reads back: the letter print file
 * (after an interrupted import, and the quick start's banner its first letter) and the vendor's
 * shipped file (batch, line, tracking number, often saved by Excel with a BOM). None of them uses
 * a guarded column as a key: batches, lines, registration codes, login keys and postal codes never
 * start with a guarded character, and a guarded name or address is written back as it was read.
 * Outside readers: the suppression export's customer number is matched by the company's systems;
 * see the note in src/erasure/suppression.service.ts.
 */

export type CsvCell = string | number | bigint | boolean | null | undefined;

/** UTF-8's byte-order mark: Excel in Japan then opens the file as UTF-8, not as Shift_JIS. */
export const CSV_BOM = '\ufeff';

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as it is written: text guarded against formulas, numbers kept, nothing → empty. */
export function csvSafe(cell: CsvCell): string | number {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : '';
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'boolean') return cell ? '1' : '0';
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The value a guarded cell stood for (for a program that must match it exactly). */
export const unguardCell = (text: string): string => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);

// csv-stringify quotes a field holding the record delimiter (CRLF) but not a bare LF or CR, which
// still ends a row for Excel and most readers: those are quoted too.
const OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ } as const;

/** One record, CRLF included. */
export const csvLine = (cells: readonly CsvCell[]): string => stringify([cells.map(csvSafe)], OPTIONS);

/** Many records, each ending in CRLF ('' for none). */
export const csvLines = (rows: Iterable<readonly CsvCell[]>): string =>
  stringify(
    Array.from(rows, (r) => r.map(csvSafe)),
    OPTIONS,
  );

/** A whole file: the BOM, the header, the rows. */
export const csvDocument = (header: readonly string[], rows: Iterable<readonly CsvCell[]>): string =>
  CSV_BOM + csvLine(header) + csvLines(rows);

/** Text as read from one of these files, without the BOM. */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** A download's file name made of safe characters only (it goes into a header). */
export const csvFileName = (...parts: string[]) =>
  `${parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}.csv`;
