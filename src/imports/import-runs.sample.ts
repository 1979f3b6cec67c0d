import { csvDocument } from '../platform/csv.js';
import { CUSTOMER_CSV_COLUMNS, type CustomerCsvRecord } from './customer-csv.schema.js';

/**
 * The customer CSV as the import page offers it: an empty template (the header row only) and a
 * small sample of fictitious people showing every column, the household JSON and the
 * `;`-separated leaked items. Both are written by the service's CSV writer (UTF-8 with BOM, so
 * Excel opens them as UTF-8) and read by the import's own parser; docs/customer-csv.md describes
 * every column.
 */

export const customerCsvTemplate = (): string => csvDocument(CUSTOMER_CSV_COLUMNS, []);

/** Fictitious people only (example.jp / example.com addresses, 見本 names): never real data. */
const SAMPLE_PEOPLE: Omit<CustomerCsvRecord, 'leaked_items'>[] = [
  {
    customer_ref: 'SAMPLE-0001',
    full_name: '見本 太郎',
    full_name_kana: 'ミホン タロウ',
    birth_date: '1980-04-01',
    postal_code: '100-0004',
    address: '東京都千代田区大手町1-1-1 見本ビル3階',
    phone: '03-1234-5678',
    email: 'taro.mihon@example.jp',
    household: JSON.stringify([
      { name: '見本 花子', relation: '配偶者', birthDate: '1982-05-06' },
      { name: '見本 一郎', relation: '子', birthDate: null },
    ]),
    erasure_requested_before: '0',
  },
  {
    customer_ref: 'SAMPLE-0002',
    full_name: '髙﨑 さくら',
    full_name_kana: 'タカサキ サクラ',
    birth_date: '',
    postal_code: '5300001',
    address: '大阪府大阪市北区梅田9-9-9',
    phone: '090-1234-5678',
    email: '',
    household: '',
    erasure_requested_before: '1',
  },
  {
    customer_ref: 'SAMPLE-0003',
    full_name: '例示 次郎',
    full_name_kana: '',
    birth_date: '1975-12-31',
    postal_code: '060-0001',
    address: '北海道札幌市中央区北1条西1-1, 例示マンション101',
    phone: '',
    email: 'jiro.reiji@example.com',
    household: '[]',
    erasure_requested_before: '',
  },
];

/**
 * The sample for one campaign: its leaked items are the campaign's own keys (the first two, all
 * of them, the first one), so the sample imports into that campaign without a bad row.
 */
export function customerCsvSample(leakedItemKeys: readonly string[]): string {
  const choices = [leakedItemKeys.slice(0, 2), leakedItemKeys, leakedItemKeys.slice(0, 1)];
  const rows = SAMPLE_PEOPLE.map((p, i) => {
    const record: CustomerCsvRecord = { ...p, leaked_items: choices[i]!.join(';') };
    return CUSTOMER_CSV_COLUMNS.map((c) => record[c]);
  });
  return csvDocument(CUSTOMER_CSV_COLUMNS, rows);
}
