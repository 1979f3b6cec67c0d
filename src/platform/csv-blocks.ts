import { CsvFormatError } from './csv-records.js';

/**
 * A CSV file cut into blocks of whole records, as bytes, without decoding or parsing them: the
 * records are parsed where the blocks go (the bulk import's worker threads, with decodeCsvBlock
 * and forEachCsvRecord), so the reading thread only looks for record ends. The cuts follow
 * csv-records.ts's reading exactly: a line feed ends a record unless it is inside a quoted value,
 * and a value is quoted only when its first character is a quote. UTF-8 never uses the bytes of
 * `"`, `,`, CR or LF inside a character, so bytes are enough.
 */
export interface CsvBlock {
  /** Whole records, in an ArrayBuffer of their own (transferable). The file's BOM is not in them. */
  bytes: Uint8Array;
  /** The physical line the block starts on (the header is line 1). */
  firstLine: number;
  /** At most this many records (empty lines count): the ids to draw for it. */
  maxRecords: number;
}

/** A record (one customer) is a few hundred bytes; past this it is an unclosed quote. */
export const MAX_RECORD_BYTES = 1024 * 1024;
const RECORD_TOO_LONG = '1 件の行が長すぎます（引用符（"）が閉じられていない可能性があります）';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const enum At {
  RecordStart,
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted value: the value's end, or the first of two. */
  QuoteSeen,
  QuoteCr,
}

/** Finds record ends across the buffers of a file; the state carries from one buffer to the next. */
export class CsvRecordEnds {
  private at = At.RecordStart;

  /** Offsets just past each record's line feed in `buf`, in order. */
  ends(buf: Uint8Array): number[] {
    const out: number[] = [];
    let quote = nextQuote(buf, 0);
    for (let pos = 0; pos < buf.length;) {
      if (this.at === At.RecordStart) {
        // Most records hold no quote: the next line feed ends them.
        const lf = buf.indexOf(LF, pos);
        if (lf >= 0 && lf < quote) {
          out.push((pos = lf + 1));
          continue;
        }
      }
      const end = this.step(buf, pos);
      if (end < 0) break;
      out.push((pos = end));
      if (quote < pos) quote = nextQuote(buf, pos);
    }
    return out;
  }

  /** Reads from `pos` to the end of a record (the offset after it) or of the buffer (-1). */
  private step(buf: Uint8Array, pos: number): number {
    for (let i = pos; i < buf.length; i++) {
      const c = buf[i]!;
      switch (this.at) {
        case At.RecordStart:
        case At.FieldStart:
          if (c === LF) return this.recordEnd(i);
          this.at = c === QUOTE ? At.Quoted : c === COMMA ? At.FieldStart : At.Unquoted;
          break;
        case At.Unquoted:
          if (c === LF) return this.recordEnd(i);
          if (c === COMMA) this.at = At.FieldStart;
          break;
        case At.Quoted:
          if (c === QUOTE) this.at = At.QuoteSeen;
          break;
        case At.QuoteSeen:
          if (c === LF) return this.recordEnd(i);
          // Anything but a second quote, a comma or CR LF is malformed: the parser reports it.
          this.at =
            c === QUOTE ? At.Quoted : c === COMMA ? At.FieldStart : c === CR ? At.QuoteCr : At.Unquoted;
          break;
        case At.QuoteCr:
          if (c === LF) return this.recordEnd(i);
          this.at = c === COMMA ? At.FieldStart : At.Unquoted;
          break;
      }
    }
    return -1;
  }

  private recordEnd(lf: number): number {
    this.at = At.RecordStart;
    return lf + 1;
  }
}

function nextQuote(buf: Uint8Array, from: number): number {
  const q = buf.indexOf(QUOTE, from);
  return q < 0 ? buf.length : q;
}

/**
 * The file's blocks: the first record (the header) alone, then `recordsPerBlock` records a block,
 * then what is left (a last record without a line feed, or an unclosed quote's rest, which the
 * parser reports).
 */
export async function* csvBlocks(
  input: AsyncIterable<Buffer | string>,
  recordsPerBlock: number,
): AsyncGenerator<CsvBlock> {
  const ends = new CsvRecordEnds();
  const pending = new BlockBytes();
  let want = 1;
  let line = 1;
  // The current record's length and first byte so far (a record may span buffers): an empty line
  // before the header is no record, as csvRecords reads it.
  let recordLength = 0;
  let recordFirst = -1;
  for await (const buf of withoutBom(input)) {
    let from = 0;
    for (const end of ends.ends(buf)) {
      if (recordLength === 0) recordFirst = buf[from]!;
      const length = recordLength + end - from;
      recordLength = 0;
      pending.add(buf.subarray(from, end));
      from = end;
      const blank = length === 1 || (length === 2 && recordFirst === CR);
      if (want === 1 && blank) continue;
      if (++pending.records < want) continue;
      const block = pending.take();
      yield { bytes: block.bytes, firstLine: line, maxRecords: block.records };
      line += block.lines;
      want = recordsPerBlock;
    }
    if (from < buf.length && recordLength === 0) recordFirst = buf[from]!;
    recordLength += buf.length - from;
    pending.add(buf.subarray(from));
    // An unclosed quote would make the rest of the file one record, parsed whole by a thread with a
    // bounded heap: refused here, on the line the record starts on.
    if (recordLength > MAX_RECORD_BYTES) {
      throw new CsvFormatError(line + pending.linesIn(pending.size - recordLength), RECORD_TOO_LONG);
    }
  }
  if (pending.size > 0) {
    const block = pending.take();
    yield { bytes: block.bytes, firstLine: line, maxRecords: block.records + 1 };
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The file's bytes after its byte-order mark (as csvRecords, one). */
async function* withoutBom(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (!head) {
      yield buf;
      continue;
    }
    head = Buffer.concat([head, buf]);
    if (head.length < BOM.length) continue;
    yield dropBom(head);
    head = undefined;
  }
  if (head && head.length > 0) yield dropBom(head);
}

function dropBom(buf: Buffer): Buffer {
  return buf.subarray(0, BOM.length).equals(BOM) ? buf.subarray(BOM.length) : buf;
}

/** Bytes gathered for a block, copied into one buffer of their own when taken. */
class BlockBytes {
  private parts: Uint8Array[] = [];
  size = 0;
  records = 0;

  add(part: Uint8Array): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.size += part.length;
  }

  /** Line feeds in the first `n` bytes gathered. */
  linesIn(n: number): number {
    let lines = 0;
    let seen = 0;
    for (const p of this.parts) {
      const part = p.subarray(0, Math.max(0, n - seen));
      for (let i = part.indexOf(LF); i >= 0; i = part.indexOf(LF, i + 1)) lines++;
      seen += p.length;
      if (seen >= n) break;
    }
    return lines;
  }

  take(): { bytes: Uint8Array; records: number; lines: number } {
    // Not Buffer.concat: a small result would share Node's buffer pool, which cannot be transferred.
    const bytes = new Uint8Array(this.size);
    let at = 0;
    let lines = 0;
    for (const p of this.parts) {
      bytes.set(p, at);
      at += p.length;
      for (let i = p.indexOf(LF); i >= 0; i = p.indexOf(LF, i + 1)) lines++;
    }
    const taken = { bytes, records: this.records, lines };
    this.parts = [];
    this.size = 0;
    this.records = 0;
    return taken;
  }
}
