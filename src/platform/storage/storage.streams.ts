import { Readable, pipeline, type Transform } from 'node:stream';

export type ObjectBody = Readable | Buffer | string;

export function toReadable(body: ObjectBody): Readable {
  if (body instanceof Readable) return body;
  return Readable.from([Buffer.from(body)], { objectMode: false });
}

const asBuffer = (chunk: unknown): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);

/**
 * Reads the first `size` bytes (fewer if the stream is shorter) and gives back a stream of the
 * whole content, those bytes included: a stored object is recognised by its first bytes without
 * reading it all into memory.
 */
export async function splitHead(source: Readable, size: number): Promise<{ head: Buffer; body: Readable }> {
  const chunks = source[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = asBuffer(next.value);
    read.push(chunk);
    length += chunk.length;
  }
  const head = Buffer.concat(read);
  async function* whole() {
    if (head.length > 0) yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield asBuffer(next.value);
  }
  const body = Readable.from(whole(), { objectMode: false });
  // A reader that stops early must not leave the source (a file or an HTTP response) open.
  body.once('close', () => source.destroy());
  return { head: head.subarray(0, size), body };
}

/** `source` through `transform`; an error on either side errors the returned stream. */
export function through(source: Readable, transform: Transform): Transform {
  return pipeline(source, transform, () => undefined);
}
