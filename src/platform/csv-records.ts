/**
 * A small streaming CSV reader (RFC 4180: quoted fields, doubled quotes, LF or CRLF, optional BOM)
 * that knows the physical line each record starts on. It yields records chunk by chunk, so memory
 * stays at one input chunk whatever the file size, and it is several times faster than a general
 * parser, which matters at millions of rows.
 */
export interface CsvRecord {
  /** Physical line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
  /** Set when the record is readable but malformed (e.g. a stray quote); it is then a bad row. */
  error?: string;
}

/** The file cannot be read as CSV at all from this line on (bad quoting, not UTF-8). */
export class CsvFormatError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Parses one quoted-or-not record starting at `start`; null when the buffer ends inside it. */
function parseSlow(
  buf: string,
  start: number,
  line: number,
): { fields: string[]; next: number; lines: number; error?: string } | null {
  const fields: string[] = [];
  let error: string | undefined;
  let i = start;
  let lines = 0;
  for (;;) {
    let value = '';
    if (buf.charCodeAt(i) === QUOTE) {
      let j = i + 1;
      for (;;) {
        const k = buf.indexOf('"', j);
        if (k < 0) return null;
        const part = buf.slice(j, k);
        for (let p = part.indexOf('\n'); p >= 0; p = part.indexOf('\n', p + 1)) lines++;
        value += part;
        if (k + 1 >= buf.length) return null; // cannot tell `""` from a closing quote yet
        if (buf.charCodeAt(k + 1) === QUOTE) {
          value += '"';
          j = k + 2;
        } else {
          i = k + 1;
          break;
        }
      }
      const c = buf.charCodeAt(i);
      if (c === CR && buf.charCodeAt(i + 1) === LF) i++;
      else if (i < buf.length && c !== COMMA && c !== LF && c !== CR) {
        throw new CsvFormatError(line + lines, '引用符（"）で囲んだ値の後に余分な文字があります');
      }
    } else {
      let j = i;
      for (; j < buf.length; j++) {
        const c = buf.charCodeAt(j);
        if (c === COMMA || c === LF) break;
        if (c === QUOTE) error = '引用符（"）は値全体を囲む場合にだけ使えます';
      }
      if (j >= buf.length) return null;
      value = buf.slice(i, j);
      if (buf.charCodeAt(j) === LF && value.endsWith('\r')) value = value.slice(0, -1);
      i = j;
    }
    fields.push(value);
    if (i >= buf.length) return null;
    const c = buf.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === LF) return { fields, next: i + 1, lines: lines + 1, ...(error ? { error } : {}) };
    return null;
  }
}

/**
 * The records of `buf` from its start, the first on line `line`; stops before a record the buffer
 * may not hold whole unless `final`. Returns where it stopped and the line there.
 */
function takeRecords(
  text: string,
  line: number,
  final: boolean,
  onRecord?: (r: CsvRecord, i: number) => void,
) {
  // At the end of the input the last record may lack its line feed: one is added (once: a block
  // holds thousands of records).
  const buf = final ? `${text}\n` : text;
  const records: CsvRecord[] = [];
  let count = 0;
  const push = (r: CsvRecord) => (onRecord ? onRecord(r, count++) : records.push(r));
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf('\n', pos);
    if (nl < 0 && !final) break;
    const end = nl < 0 ? buf.length : nl;
    let plain = buf.slice(pos, end);
    if (plain.indexOf('"') < 0) {
      if (plain.endsWith('\r')) plain = plain.slice(0, -1);
      if (plain !== '') push({ line, fields: plain.split(',') });
      pos = end + 1;
      line++;
      continue;
    }
    const parsed = parseSlow(buf, pos, line);
    if (!parsed) {
      if (final) throw new CsvFormatError(line, '引用符（"）が閉じられていません');
      break;
    }
    push(
      parsed.error ? { line, fields: parsed.fields, error: parsed.error } : { line, fields: parsed.fields },
    );
    pos = parsed.next;
    line += parsed.lines;
  }
  return { records, pos, line };
}

const NOT_UTF8 = 'UTF-8 として読めません（Shift_JIS などで保存されていませんか）';

/**
 * Text of a block of whole lines (csv-blocks.ts), the first being line `firstLine`; a line that is
 * not UTF-8 is named exactly. A byte-order mark inside is kept (only the file's first is dropped).
 */
export function decodeCsvBlock(bytes: Uint8Array, firstLine: number): string {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = firstLine;
    for (let start = 0; start < bytes.length; line++) {
      const lf = bytes.indexOf(10, start);
      const end = lf < 0 ? bytes.length : lf + 1;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      start = end;
    }
    throw new CsvFormatError(line, NOT_UTF8);
  }
}

/** Every record of a block of whole records (decoded), the first starting on line `firstLine`. */
export const parseCsvBlock = (text: string, firstLine: number): CsvRecord[] =>
  takeRecords(text, firstLine, true).records;

/** The same, each record handed over as it is read (and not kept), with its index in the block. */
export function forEachCsvRecord(text: string, firstLine: number, visit: (r: CsvRecord, i: number) => void) {
  takeRecords(text, firstLine, true, visit);
}

export async function* csvRecords(input: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord[]> {
  // The file's BOM is dropped below, once: Node 24's streaming decoder also dropped a U+FEFF that began
  // a later chunk (data, not a BOM).
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let rest = '';
  let line = 1;

  const take = (buf: string, final: boolean): CsvRecord[] => {
    const taken = takeRecords(buf, line, final);
    line = taken.line;
    rest = taken.pos < buf.length ? buf.slice(taken.pos) : '';
    return taken.records;
  };

  const decode = (chunk: Buffer | string, stream: boolean): string => {
    if (typeof chunk === 'string') return chunk;
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new CsvFormatError(line, NOT_UTF8);
    }
  };

  let first = true;
  for await (const chunk of input) {
    let text = decode(chunk, true);
    if (first && text !== '') {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const records = take(rest + text, false);
    if (records.length > 0) yield records;
  }
  const records = take(rest + decode(Buffer.alloc(0), false), true);
  if (records.length > 0) yield records;
}
