import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

/**
 * A cell a spreadsheet would take for a formula (=, +, -, @, tab, CR) gets a leading apostrophe:
 * labels and reasons are typed by people, and an export must never run anything when opened.
 * Numbers stay numbers.
 */
export function csvSafe(cell: CsvCell): string | number {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : '';
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** UTF-8 with a byte-order mark, so that Excel in Japan opens it without mojibake. */
export const CSV_BOM = '\ufeff';

export function toCsv(rows: CsvCell[][]): string {
  return stringify(
    rows.map((r) => r.map(csvSafe)),
    { record_delimiter: '\r\n' },
  );
}

/** A file name made of safe characters only (it goes into a header). */
export const csvFileName = (...parts: string[]) =>
  `${parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}.csv`;
