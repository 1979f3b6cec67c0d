import { prefectureMismatch } from '../customers/address-lookup.js';
import { CsvFormatError, type CsvRecord } from '../platform/csv-records.js';
import {
  CUSTOMER_CSV_COLUMNS,
  type CustomerCsvColumn,
  type CustomerRowSchema,
} from './customer-csv.schema.js';
import type { ReportBuilder } from './import.report.js';

/** Names no prefecture: the report holds no personal data. */
const PREFECTURE_MISMATCH = '郵便番号の都道府県と住所の都道府県が一致しません。宛先をご確認ください';

/** Header and row checks of the customer CSV; a bad row goes to the report, never further. */
export type HeaderIndex = Record<CustomerCsvColumn, number>;

export function readHeader(rec: CsvRecord): HeaderIndex {
  const names = rec.fields.map((f) => f.trim());
  const unknown = names.filter((n) => !(CUSTOMER_CSV_COLUMNS as readonly string[]).includes(n));
  const missing = CUSTOMER_CSV_COLUMNS.filter((c) => !names.includes(c));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length || missing.length || repeated.length || rec.error) {
    const parts = [
      missing.length ? `不足: ${missing.join(', ')}` : '',
      unknown.length ? `不明: ${unknown.join(', ')}` : '',
      repeated.length ? `重複: ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    throw new CsvFormatError(rec.line, `見出し行の列が正しくありません（${parts.join(' / ') || rec.error}）`);
  }
  return Object.fromEntries(CUSTOMER_CSV_COLUMNS.map((c) => [c, names.indexOf(c)])) as HeaderIndex;
}

/** The validated row, or undefined after reporting why it is bad. */
export function validateRow(
  rec: CsvRecord,
  header: HeaderIndex,
  schema: CustomerRowSchema,
  report: Pick<ReportBuilder, 'badRow' | 'addressWarning'>,
) {
  if (rec.error) {
    report.badRow(rec.line, [{ column: '*', message: rec.error }]);
    return undefined;
  }
  if (rec.fields.length !== CUSTOMER_CSV_COLUMNS.length) {
    const message = `列の数が ${rec.fields.length} です（${CUSTOMER_CSV_COLUMNS.length} 列必要です）`;
    report.badRow(rec.line, [{ column: '*', message }]);
    return undefined;
  }
  const input = {} as Record<CustomerCsvColumn, string>;
  for (const c of CUSTOMER_CSV_COLUMNS) input[c] = rec.fields[header[c]]!;
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    // Imported all the same (the customer can correct the address on their page): a warning.
    if (prefectureMismatch(parsed.data.postal_code, parsed.data.address)) {
      report.addressWarning(rec.line, 'postal_code', PREFECTURE_MISMATCH);
    }
    return parsed.data;
  }
  report.badRow(
    rec.line,
    parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? '*'), message: i.message })),
  );
  return undefined;
}
