import { csvLines, type CsvCell } from './csv.js';

/**
 * The report and audit CSVs, written by the service's one CSV writer (src/platform/csv.ts): UTF-8
 * with a BOM so that Excel in Japan opens them without mojibake, and a formula guard (labels and
 * reasons are typed by people; an export must never run anything when opened). Numbers stay numbers.
 */
export { CSV_BOM, csvFileName, csvSafe, type CsvCell } from './csv.js';

export const toCsv = (rows: CsvCell[][]): string => csvLines(rows);

export { jstCsvDateTime, jstStamp } from './jst.js';
