import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CopyBytes } from '../src/imports/import.copy-bytes.js';

describe('CopyBytes', () => {
  it('when any texts are added, then the bytes are their UTF-8 concatenation, from the start of a buffer of their own', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40_000 }), { maxLength: 30 }), (texts) => {
        const out = new CopyBytes();
        for (const t of texts) out.add(t);
        const bytes = out.done();
        expect(Buffer.from(bytes).equals(Buffer.from(texts.join(''), 'utf8'))).toBe(true);
        expect(bytes.byteOffset).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('when more than the first buffer is written, then nothing written before is lost', () => {
    const out = new CopyBytes();
    const line = '山田\t太郎\t東京都千代田区\n';
    for (let i = 0; i < 20_000; i++) out.add(line);
    const text = Buffer.from(out.done()).toString('utf8');
    expect(text).toBe(line.repeat(20_000));
  });
});
