/**
 * COPY text written straight into bytes as it is made. A chunk's text kept as a growing JS string
 * stays alive through the thread's young-generation collections and is copied by each of them; in
 * a buffer of its own it is never moved, and it goes to another thread without a copy (its
 * ArrayBuffer is transferred).
 */
export class CopyBytes {
  private bytes: Buffer;
  private length = 0;

  constructor(private readonly initialSize = 256 * 1024) {
    this.bytes = Buffer.allocUnsafeSlow(initialSize);
  }

  get size(): number {
    return this.length;
  }

  add(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const room = this.length + 3 * text.length;
    if (room > this.bytes.length) this.grow(room);
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  addBytes(data: Uint8Array): void {
    const room = this.length + data.byteLength;
    if (room > this.bytes.length) this.grow(room);
    this.bytes.set(data, this.length);
    this.length += data.byteLength;
  }

  private grow(atLeast: number): void {
    let size = this.bytes.length * 2;
    while (size < atLeast) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }

  /** What was written: a view from the start of an ArrayBuffer of its own, ready to transfer. */
  done(): Uint8Array {
    return new Uint8Array(this.bytes.buffer, 0, this.length);
  }

  /** What was written (as done()), and a fresh buffer for what comes next. */
  takeAll(): Uint8Array {
    const taken = this.done();
    this.bytes = Buffer.allocUnsafeSlow(this.initialSize);
    this.length = 0;
    return taken;
  }
}
