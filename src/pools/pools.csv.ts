import type { CsvRecord } from '../platform/csv-records.js';
import { POOL_ROW_TEXT } from './pools.messages.js';

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
    return { line: rec.line, message: POOL_ROW_TEXT.badHeader };
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
    return { line: rec.line, message: POOL_ROW_TEXT.columnCount(rec.fields.length) };
  }
  const brand = rec.fields[header.brand]!.normalize('NFKC').trim();
  const code = rec.fields[header.code]!.normalize('NFKC').trim();
  if (!brands.includes(brand)) {
    const shown = /^[a-z0-9_]{1,32}$/.test(brand) ? brand : null;
    return {
      line: rec.line,
      message: brand === '' ? POOL_ROW_TEXT.emptyBrand : POOL_ROW_TEXT.unknownBrand(shown, brands),
    };
  }
  if (!CODE.test(code)) {
    return { line: rec.line, message: POOL_ROW_TEXT.badCode };
  }
  return { line: rec.line, brand, code };
}

export const isRowError = (r: PoolRow | PoolRowError | PoolHeader): r is PoolRowError => 'message' in r;
