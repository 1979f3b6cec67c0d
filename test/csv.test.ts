import { fc, test } from '@fast-check/vitest';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CSV_BOM,
  csvDocument,
  csvLine,
  csvLines,
  csvSafe,
  stripBom,
  unguardCell,
} from '../src/platform/csv.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LETTER_HEADER } from '../src/imports/import.encoding.js';
import { firstDemoLetter } from '../dev/demo/seed.js';
import { toCsv } from '../src/platform/csv-export.js';

/** Every character some byte sequence decodes to in Shift_JIS as Windows and browsers read it (CP932). */
function shiftJisRepertoire(): Set<string> {
  const decoder = new TextDecoder('shift_jis');
  const chars = new Set<string>();
  for (let a = 0; a < 256; a++) {
    for (const c of decoder.decode(Uint8Array.of(a))) chars.add(c);
    for (let b = 0; b < 256; b++) for (const c of decoder.decode(Uint8Array.of(a, b))) chars.add(c);
  }
  return chars;
}

describe('the CSV writer', () => {
  it('when a file is written, then it starts with the UTF-8 BOM, ends lines with CRLF and quotes what needs it', () => {
    const text = csvDocument(['name', 'address', 'n'], [['山田 "太郎"', '大阪市北区, 2F', 3]]);
    expect(text).toBe('\uFEFFname,address,n\r\n"山田 ""太郎""","大阪市北区, 2F",3\r\n');
    expect([...Buffer.from(text).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvLine(['a', null, undefined, 1n, true])).toBe('a,,,1,1\r\n');
    expect(csvLines([])).toBe('');
    // A bare line feed or carriage return ends a row for Excel and for readers that accept LF files.
    expect(csvLine(['a\nb', 'c\rd', 'e'])).toBe('"a\nb","c\rd",e\r\n');
  });

  it('when a text cell starts with = + - @ tab or CR, then it gets one apostrophe; numbers and other text stay as they are', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvSafe(`${start}HYPERLINK("x")`)).toBe(`'${start}HYPERLINK("x")`);
    expect(csvSafe(-3)).toBe(-3);
    expect(csvSafe(Number.NaN)).toBe('');
    expect(csvSafe('東京都=千代田区')).toBe('東京都=千代田区');
    expect(csvSafe("'=already")).toBe("'=already");
    expect(csvLine(['=1+2', -5])).toBe("'=1+2,-5\r\n");
  });

  it('when the reports write a CSV, then it is this writer (guard included)', () => {
    expect(toCsv([['@SUM(A1)', 1]])).toBe(csvLines([['@SUM(A1)', 1]]));
    expect(toCsv([['@SUM(A1)', 1]])).toBe("'@SUM(A1),1\r\n");
  });

  test.prop([
    fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }), { maxLength: 5 }),
  ])(
    'any cells read back (csv-parse, BOM dropped) as the guarded text, and unguardCell gives the value back',
    (rows) => {
      const header = rows[0]?.map((_, i) => `c${i}`) ?? ['c0'];
      const body = rows.map((r) => header.map((_, i) => r[i] ?? ''));
      const back = parse(csvDocument(header, body), { bom: true, relax_column_count: true }) as string[][];
      expect(back[0]).toEqual(header);
      const cells = back.slice(1);
      expect(cells).toEqual(body.map((r) => r.map((v) => String(csvSafe(v)))));
      for (const [i, r] of body.entries())
        r.forEach((v, j) => {
          if (!/^'[=+\-@\t\r]/.test(v)) expect(unguardCell(cells[i]![j]!)).toBe(v);
        });
    },
  );

  it('when a reader gets one of these files, then stripBom drops the BOM and nothing else', () => {
    expect(stripBom(`${CSV_BOM}a,b`)).toBe('a,b');
    expect(stripBom('a,b')).toBe('a,b');
  });

  it('when the quick start reads the demo letter file (which starts with the BOM), then it still finds the first code and key', async () => {
    expect(LETTER_HEADER.startsWith(CSV_BOM)).toBe(true);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'owabi-csv-'));
    try {
      writeFileSync(
        path.join(dir, 'demo-letters.csv'),
        `${LETTER_HEADER}ABCD-EFGH-JKMN,PQRS-TUVW-XYZ2,見本 太郎,100-0004,東京都,0\r\n`,
      );
      expect(await firstDemoLetter(dir)).toEqual({ code: 'ABCD-EFGH-JKMN', key: 'PQRS-TUVW-XYZ2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('why UTF-8 with BOM and not Shift_JIS', () => {
  it('when names hold 𠮷, emoji or the Mac wave dash, then Shift_JIS has no code for them but the UTF-8 file keeps them', () => {
    const sjis = shiftJisRepertoire();
    expect(sjis.has('山')).toBe(true); // the repertoire is really there
    // Windows' Shift_JIS (CP932) has 髙 and 﨑 as NEC/IBM extensions (strict JIS X 0208 has neither:
    // `iconv -t SHIFT_JIS` refuses them), but not these:
    for (const c of ['𠮷', '😀', '〜']) expect(sjis.has(c), c).toBe(false);
    const names = ['𠮷田 😀', '髙﨑 〜 花子'];
    const file = Buffer.from(
      csvDocument(
        ['name'],
        names.map((n) => [n]),
      ),
    );
    expect((parse(file, { bom: true }) as string[][]).slice(1).flat()).toEqual(names);
  });
});
