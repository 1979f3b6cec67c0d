import type { Readable, Writable } from 'node:stream';
import { formatForPrint } from '../customers/codes.js';
import { letterSecretsFor, type RunSecret } from './import.derive.js';
import { toLetterTail } from './import.encoding.js';

/**
 * The bulk import's letters, written from what the load kept (repeats already taken out), in id
 * order, which is the file's order. The keys and tokens are derived again from the run's secret
 * (import.derive.ts): nothing secret was ever stored to write them.
 */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };
const unescapeCopy = (v: string) =>
  v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c) : v;

export async function writeBulkLetters(
  rows: Readable,
  out: Writable,
  secret: RunSecret,
  urlOf: (token: string) => string,
): Promise<number> {
  let bytes = 0;
  let chunk = '';
  let rest = '';
  for await (const data of rows as AsyncIterable<Buffer>) {
    const lines = (rest + data.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) chunk += letterLine(line, secret, urlOf);
    if (chunk.length >= 65_536) {
      bytes += await write(out, chunk);
      chunk = '';
    }
  }
  if (rest !== '') chunk += letterLine(rest, secret, urlOf);
  if (chunk !== '') bytes += await write(out, chunk);
  return bytes;
}

function letterLine(copyLine: string, secret: RunSecret, urlOf: (token: string) => string): string {
  const [idText, code, name, postal, address, count] = copyLine.split('\t').map(unescapeCopy);
  const { loginKey, token } = letterSecretsFor(secret, Number(idText));
  const tail = toLetterTail(
    { full_name: name!, postal_code: postal!, address: address!, household: { length: Number(count) } },
    loginKey,
    urlOf(token),
  );
  return `${formatForPrint(code!)},${tail}`;
}

function write(out: Writable, chunk: string): Promise<number> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (err) => (err ? reject(err) : resolve(Buffer.byteLength(chunk))));
  });
}
