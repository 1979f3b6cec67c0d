import { Readable, Writable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_CSV_COLUMNS } from '../src/imports/customer-csv.schema.js';
import { letterBlockWriter, writeBulkLetters, type LetterLink } from '../src/imports/import.bulk-letters.js';
import { sharedPostalTable } from '../src/customers/address-lookup.js';
import { BulkThreads } from '../src/imports/import.bulk-threads.js';
import { letterSecretsFor, newRunSecret } from '../src/imports/import.derive.js';
import { readHeader } from '../src/imports/import.rows.js';
import { csvRecords } from '../src/platform/csv-records.js';

const link: LetterLink = { baseUrl: 'https://owabi.example', slug: 'spring-2026' };

/** A load row as COPY text would carry it: values escaped, one line. */
const copyEscape = (v: string) =>
  v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
const copyLine = (id: number, name: string, address: string) =>
  `${id}\tABCDEFGHJKLM\t${copyEscape(name)}\t1000001\t${copyEscape(address)}\t2\n`;

const text = (parts: Uint8Array[]) => Buffer.concat(parts).toString('utf8');

async function lettersOf(
  copyText: string,
  cuts: number[],
  blockBytes: number,
  work: (b: Uint8Array) => Promise<Uint8Array>,
) {
  const bytes = Buffer.from(copyText, 'utf8');
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    chunks.push(bytes.subarray(at, cut));
    at = cut;
  }
  chunks.push(bytes.subarray(at));
  const written: Uint8Array[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      written.push(chunk);
      cb();
    },
  });
  const total = await writeBulkLetters(
    Readable.from(chunks.filter((c) => c.length > 0)),
    out,
    work,
    blockBytes,
  );
  return { letters: text(written), total, writes: written.length };
}

describe('writeBulkLetters', () => {
  const secret = newRunSecret();
  const oneBlock = letterBlockWriter(secret, link);
  const row = fc.tuple(
    fc.string({
      unit: fc.constantFrom('山', '田', 'a', ' ', '\t', '\\', '\n', '"', ',', 'é', '𠮷'),
      maxLength: 12,
    }),
    fc.string({ unit: fc.constantFrom('東', '京', '1', '-', '\n', '"', ','), maxLength: 20 }),
  );

  test.prop(
    [
      fc.array(row, { minLength: 1, maxLength: 60 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      fc.integer({ min: 1, max: 400 }),
    ],
    { numRuns: 60 },
  )(
    'when the COPY stream is cut anywhere (even inside a character) and the blocks finish out of order, then the letters are those of the rows, in order',
    async (rows, cuts, blockBytes) => {
      const copyText = rows.map(([name, address], i) => copyLine(1000 + i, name, address)).join('');
      // Later blocks finish first: the order must come from the writer, not from the workers.
      let pending = 0;
      const blocks: Buffer[] = [];
      const work = async (block: Uint8Array) => {
        blocks.push(Buffer.from(block)); // (a copy: a block's buffer may be transferred)
        const wait = 5 - (pending++ % 5);
        await new Promise((r) => setTimeout(r, wait));
        return oneBlock(block);
      };

      const { letters, total } = await lettersOf(copyText, cuts, blockBytes, work);

      expect(letters).toBe(text([oneBlock(Buffer.from(copyText, 'utf8'))]));
      // Blocks of whole lines, within blockBytes unless one line alone, each as full as the next line let it be.
      const linesIn = (b: Buffer) => b.toString('latin1').split('\n').length - 1;
      expect(Buffer.concat(blocks).toString('utf8')).toBe(copyText);
      blocks.forEach((b, i) => {
        expect(b.at(-1), `block ${i} ends a line`).toBe(10);
        if (b.length > blockBytes) expect(linesIn(b), `block ${i} of ${b.length} bytes`).toBe(1);
        const next = blocks[i + 1];
        if (next) expect(b.length + next.indexOf(10) + 1, `block ${i} had room`).toBeGreaterThan(blockBytes);
      });
      expect(total).toBe(Buffer.byteLength(letters));
      const records = [];
      for await (const r of csvRecords(Readable.from([letters]))) records.push(...r);
      expect(records.map((r) => r.fields[0])).toEqual(rows.map(() => 'ABCD-EFGH-JKLM'));
    },
  );

  it('when a row is written, then its letter carries the key and the address derived from its id', async () => {
    const { letters } = await lettersOf(
      copyLine(4242, '見本 花子', '東京都千代田区1-1'),
      [],
      1024,
      async (b) => oneBlock(b),
    );
    const { loginKey, token } = letterSecretsFor(secret, 4242);
    const [fields] = (await csvRecords(Readable.from([letters])).next()).value!;
    expect(fields!.fields).toEqual([
      'ABCD-EFGH-JKLM',
      `${loginKey.slice(0, 4)}-${loginKey.slice(4, 8)}-${loginKey.slice(8)}`,
      '見本 花子',
      '100-0001',
      '東京都千代田区1-1',
      '2',
      `https://owabi.example/c/spring-2026/letter/${token}`,
    ]);
  });

  it('when a block fails, then the letters stop there with its error', async () => {
    const copyText = Array.from({ length: 50 }, (_, i) => copyLine(i + 1, 'x', 'y')).join('');
    let blocks = 0;
    const work = async (b: Uint8Array) => {
      if (++blocks === 3) throw new Error('worker gone');
      return oneBlock(b);
    };
    await expect(lettersOf(copyText, [100, 700, 1300], 200, work)).rejects.toThrow('worker gone');
  });
});

describe('BulkThreads letters', () => {
  it('when letters are made in the threads and on the calling thread, then they are the same bytes', async () => {
    const setup = {
      campaignId: '1',
      leakedItemKeys: ['name'],
      header: readHeader({ line: 1, fields: [...CUSTOMER_CSV_COLUMNS] }),
      pepper: 'p'.repeat(32),
      secret: newRunSecret(),
      issuedAt: new Date().toISOString(),
      letterLink: link,
      postalTable: sharedPostalTable(),
    };
    const copyText = Array.from({ length: 300 }, (_, i) => copyLine(i + 1, `見本 ${i}`, `住所\t${i}`)).join(
      '',
    );
    const here = new BulkThreads(setup, 2);
    const there = new BulkThreads(setup, 2);
    try {
      const mine = await here.letters(new Uint8Array(Buffer.from(copyText)));
      expect(here.started).toBe(0);
      await there.run({ bytes: new Uint8Array(0), firstLine: 2, ids: [] }); // starts the threads
      const theirs = await there.letters(new Uint8Array(Buffer.from(copyText)));
      expect(there.started).toBe(2);
      expect(text([theirs])).toBe(text([mine]));
      expect(text([mine]).split('\n')).toHaveLength(301);
    } finally {
      await Promise.all([here.close(), there.close()]);
    }
  });
});
