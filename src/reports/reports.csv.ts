import { csvLines, type CsvCell } from '../platform/csv.js';

/**
 * The report and audit CSVs, written by the service's one CSV writer (src/platform/csv.ts): UTF-8
 * with a BOM so that Excel in Japan opens them without mojibake, and a formula guard (labels and
 * reasons are typed by people; an export must never run anything when opened). Numbers stay numbers.
 */
export { CSV_BOM, csvFileName, csvSafe, type CsvCell } from '../platform/csv.js';

export const toCsv = (rows: CsvCell[][]): string => csvLines(rows);

const JST_OFFSET_MS = 9 * 3_600_000;

/** The date of `at` in Japan (the data's time zone), as YYYYMMDD for a file name. */
export const jstStamp = (at: Date) =>
  new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');

/** A time in Japan for a CSV cell: `2026-04-01 09:30:00`. */
export const jstCsvDateTime = (at: Date) =>
  new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
