import { Readable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { csvBlocks, MAX_RECORD_BYTES, type CsvBlock } from '../src/platform/csv-blocks.js';
import {
  csvRecords,
  CsvFormatError,
  decodeCsvBlock,
  parseCsvBlock,
  type CsvRecord,
} from '../src/platform/csv-records.js';

/** The records as csvRecords reads them, and the error it stops with. */
async function streamed(chunks: Buffer[]) {
  const records: CsvRecord[] = [];
  try {
    for await (const r of csvRecords(Readable.from(chunks))) records.push(...r);
    return { records, error: undefined };
  } catch (err) {
    return { records, error: err as CsvFormatError };
  }
}

/** The same file read block by block, each block decoded and parsed on its own. */
async function byBlocks(chunks: Buffer[], recordsPerBlock: number) {
  const records: CsvRecord[] = [];
  const blocks: CsvBlock[] = [];
  try {
    for await (const block of csvBlocks(Readable.from(chunks), recordsPerBlock)) {
      blocks.push(block);
      const parsed = parseCsvBlock(decodeCsvBlock(block.bytes, block.firstLine), block.firstLine);
      expect(parsed.length).toBeLessThanOrEqual(block.maxRecords);
      if (blocks.length === 1) expect(parsed.length).toBeLessThanOrEqual(1); // the header alone
      records.push(...parsed);
    }
    return { records, blocks, error: undefined };
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err; // a failed assertion above is not a file error
    return { records, blocks, error: err };
  }
}

function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

const csvText = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '""', ',', '\n', '\r\n', '\r', 'a', '山', '𠮷', ' ', '"x"', '"a\nb"', '\uFEFF'),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('csvBlocks', () => {
  test.prop([fc.boolean(), csvText, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 4 })], {
    numRuns: 2000,
  })(
    'when any text is cut into buffers anywhere, then its blocks parse to the records and the error csvRecords reads',
    async (bom, text, at, perBlock) => {
      const bytes = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf8');

      const expected = await streamed(cut(bytes, at));
      const actual = await byBlocks(cut(bytes, at), perBlock);

      // (Before an error, csvRecords may hold back records it read: only the error is compared then.)
      if (!expected.error) expect(actual.records).toEqual(expected.records);
      expect(actual.error?.line).toBe(expected.error?.line);
      expect(actual.error?.reason).toBe(expected.error?.reason);
      if (!actual.error) {
        const rejoined = Buffer.concat(actual.blocks.map((b) => b.bytes));
        let body = bytes;
        if (body.subarray(0, 3).equals(Buffer.from('\uFEFF'))) body = body.subarray(3);
        expect(rejoined.equals(body)).toBe(true);
      }
    },
  );

  it('when blank lines come before the header, then the header block holds them and its one record', async () => {
    const { blocks } = await byBlocks([Buffer.from('\r\n\nh1,h2\r\na,b\r\nc,d')], 1);
    expect(blocks.map((b) => [Buffer.from(b.bytes).toString(), b.firstLine])).toEqual([
      ['\r\n\nh1,h2\r\n', 1],
      ['a,b\r\n', 4],
      ['c,d', 5],
    ]);
  });

  it('when a line is not UTF-8, then the error names that line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('h\n"a\nb"\nok\n'),
      Buffer.from([0x8e, 0x52]),
      Buffer.from('\nmore\n'),
    ]);
    const { error, records } = await byBlocks([bytes], 10);
    expect(records).toEqual([{ line: 1, fields: ['h'] }]);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect([error!.line, error!.reason]).toEqual([5, expect.stringMatching(/UTF-8/)]);
  });

  it('when a quote is never closed in a large file, then the reading thread refuses it on the line the record starts on', async () => {
    const head = Buffer.from('h\na\n"b\nc\n');
    const rest = Buffer.alloc(MAX_RECORD_BYTES + 10, 'x');
    const { error, records } = await byBlocks([head, rest.subarray(0, 500_000), rest.subarray(500_000)], 10);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect([error!.line, error!.reason]).toEqual([3, expect.stringMatching(/長すぎ/)]);
    expect(records).toEqual([{ line: 1, fields: ['h'] }]);
  });

  it('when each block is taken, then its bytes have an ArrayBuffer of their own', async () => {
    for await (const block of csvBlocks(Readable.from([Buffer.from('h\na\nb\n')]), 1)) {
      expect(block.bytes.byteOffset).toBe(0);
      expect(block.bytes.buffer.byteLength).toBe(block.bytes.byteLength);
    }
  });
});
