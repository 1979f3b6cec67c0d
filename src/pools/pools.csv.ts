import type { CsvRecord } from '../platform/csv-records.js';

/**
 * Rows of an e-money code file: `brand,code` with a header. Messages name the line and the
 * problem, never the code (a gift code is money).
 */
export interface PoolRow {
  line: number;
  brand: string;
  code: string;
}

export interface PoolRowError {
  line: number;
  message: string;
}

export const POOL_CSV_COLUMNS = ['brand', 'code'] as const;

/** 4 to 64 letters, digits and inner hyphens: what the vendors' codes look like, nothing else. */
const CODE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{2,62})[A-Za-z0-9]$/;

export type PoolHeader = { brand: number; code: number };

export function readPoolHeader(rec: CsvRecord): PoolHeader | PoolRowError {
  const names = rec.fields.map((f) => f.normalize('NFKC').trim().toLowerCase());
  const brand = names.indexOf('brand');
  const code = names.indexOf('code');
  if (rec.error || names.length !== 2 || brand < 0 || code < 0) {
    return {
      line: rec.line,
      message: '見出し行は「brand,code」の2列にしてください（1行目は見出し、2行目からコード）',
    };
  }
  return { brand, code };
}

export function parsePoolRow(
  rec: CsvRecord,
  header: PoolHeader,
  brands: readonly string[],
): PoolRow | PoolRowError {
  if (rec.error) return { line: rec.line, message: rec.error };
  if (rec.fields.length !== 2) {
    return { line: rec.line, message: `列の数が ${rec.fields.length} です（brand,code の2列が必要です）` };
  }
  const brand = rec.fields[header.brand]!.normalize('NFKC').trim();
  const code = rec.fields[header.code]!.normalize('NFKC').trim();
  if (!brands.includes(brand)) {
    const shown = /^[a-z0-9_]{1,32}$/.test(brand) ? `「${brand}」は` : '';
    return {
      line: rec.line,
      message:
        brand === ''
          ? 'brand が空です'
          : `${shown}このキャンペーンの電子マネーの種類ではありません（${brands.join(' / ')} のいずれか）`,
    };
  }
  if (!CODE.test(code)) {
    return {
      line: rec.line,
      message: 'コードの形式が正しくありません（英数字とハイフンで4〜64文字、先頭と末尾は英数字）',
    };
  }
  return { line: rec.line, brand, code };
}

export const isRowError = (r: PoolRow | PoolRowError | PoolHeader): r is PoolRowError => 'message' in r;
