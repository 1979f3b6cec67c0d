import type { Readable, Writable } from 'node:stream';
import { formatForPrint } from '../customers/codes.js';
import { letterUrl } from '../letters/letter-token.js';
import { CopyBytes } from './import.copy-bytes.js';
import { letterSecretsFor, type RunSecret } from './import.derive.js';
import { toLetterTail } from './import.encoding.js';

/**
 * The bulk import's letters, written from what the load kept (repeats already taken out), in id
 * order, which is the file's order. The keys and tokens are derived again from the run's secret
 * (import.derive.ts): nothing secret was ever stored to write them. The lines are made in the
 * worker threads, a block of the load's COPY text at a time; this thread only cuts the blocks and
 * writes the results in order.
 */
const BLOCK_BYTES = 256 * 1024;
const BLOCKS_IN_FLIGHT = 4;
const LF = 10;

/** Where the letters' verification addresses point (the campaign's public address). */
export interface LetterLink {
  baseUrl: string;
  slug: string;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
const unescapeCopy = (v: string) =>
  v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c) : v;

/**
 * Letter lines (UTF-8) of a block of whole COPY text lines (id, code, name, postal code, address,
 * household count). Pure: runs in a worker thread or, for a small load, on the caller's.
 */
export function letterBlockWriter(secret: RunSecret, link: LetterLink) {
  return (copyText: Uint8Array): Uint8Array => {
    const out = new CopyBytes();
    const text = Buffer.from(copyText.buffer, copyText.byteOffset, copyText.byteLength).toString('utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      out.add(letterLine(text.slice(start, end), secret, link));
      start = end + 1;
    }
    return out.done();
  };
}

function letterLine(copyLine: string, secret: RunSecret, link: LetterLink): string {
  const [idText, code, name, postal, address, count] = copyLine.split('\t').map(unescapeCopy);
  const { loginKey, token } = letterSecretsFor(secret, Number(idText));
  const tail = toLetterTail(
    { full_name: name!, postal_code: postal!, address: address!, household: { length: Number(count) } },
    loginKey,
    letterUrl(link.baseUrl, link.slug, token),
  );
  return `${formatForPrint(code!)},${tail}`;
}

/**
 * Has the COPY stream worked out a block at a time (lineBlocks), a few at a time, and writes the
 * letters in order. Returns the bytes written.
 */
export async function writeBulkLetters(
  rows: Readable,
  out: Writable,
  work: (copyText: Uint8Array) => Promise<Uint8Array>,
  blockBytes = BLOCK_BYTES,
): Promise<number> {
  let bytes = 0;
  const inFlight: Promise<Uint8Array>[] = [];
  const writeNext = async () => (bytes += await write(out, await inFlight.shift()!));
  for await (const block of lineBlocks(rows as AsyncIterable<Buffer>, blockBytes)) {
    inFlight.push(work(block));
    inFlight.at(-1)!.catch(() => undefined); // awaited in order
    if (inFlight.length >= BLOCKS_IN_FLIGHT) await writeNext();
  }
  while (inFlight.length > 0) await writeNext();
  return bytes;
}

/**
 * The COPY stream cut into blocks of whole lines (COPY text escapes line breaks inside values, so
 * every LF ends a row). A block goes before an addition would take it past blockBytes (its buffer
 * never grows), except a line longer than that, which goes alone.
 */
async function* lineBlocks(rows: AsyncIterable<Buffer>, blockBytes: number): AsyncGenerator<Uint8Array> {
  const pending = new CopyBytes(blockBytes);
  // The pending bytes that are whole lines; after them, the start of a line the next data goes on with.
  let whole = 0;
  for await (const data of rows) {
    let from = 0;
    while (from < data.length) {
      const room = blockBytes - pending.size;
      if (data.length - from <= room) {
        pending.addBytes(data.subarray(from));
        const end = data.lastIndexOf(LF) + 1;
        if (end > from) whole = pending.size - (data.length - end);
        break;
      }
      // The lines that fit, then the block.
      const fit = room > 0 ? data.lastIndexOf(LF, from + room - 1) + 1 : 0;
      if (fit > from) {
        pending.addBytes(data.subarray(from, fit));
        from = fit;
      } else if (whole > 0) {
        // The line begun in the block does not fit: the block goes without it.
        const taken = pending.takeAll();
        pending.addBytes(taken.subarray(whole));
        const lines = taken.subarray(0, whole);
        whole = 0;
        yield lines;
        continue;
      } else {
        // One line longer than a block: it goes alone once its end comes.
        const lf = data.indexOf(LF, from);
        if (lf < 0) {
          pending.addBytes(data.subarray(from));
          break;
        }
        pending.addBytes(data.subarray(from, lf + 1));
        from = lf + 1;
      }
      whole = 0;
      yield pending.takeAll();
    }
  }
  if (pending.size > 0) yield pending.takeAll();
}

function write(out: Writable, chunk: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (err) => (err ? reject(err) : resolve(chunk.byteLength)));
  });
}
