import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkCards } from '../src/postcards/postcard-csv.chunks.js';
import type { CsvCard } from '../src/postcards/postcard-csv.schema.js';

const card = (seq: number, code: string): CsvCard => ({
  line: seq + 1,
  seq,
  reading: { code, gifts: [], data: [], postmarkDate: '2026-11-30' },
});

/** A file's cards: distinct positions in any order, codes drawn from a few so that customers repeat. */
const cardsArb = fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 120 }).chain((seqs) =>
  fc
    .array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'), {
      minLength: seqs.length,
      maxLength: seqs.length,
    })
    .map((codes) => seqs.map((s, i) => card(s, codes[i]!))),
);

describe('chunkCards (an OCR file cut into chunks written side by side)', () => {
  it('puts every card in exactly one chunk, every card of a code in one chunk, each in tray order, at most `size` codes a chunk', () => {
    fc.assert(
      fc.property(cardsArb, fc.integer({ min: 1, max: 10 }), (cards, size) => {
        const chunks = chunkCards(cards, size);
        expect(
          chunks
            .flat()
            .map((c) => c.seq)
            .sort((a, b) => a - b),
        ).toEqual(cards.map((c) => c.seq).sort((a, b) => a - b));
        const chunkOfCode = new Map<string, number>();
        chunks.forEach((chunk, i) => {
          expect(chunk.length).toBeGreaterThan(0);
          expect(new Set(chunk.map((c) => c.reading.code)).size).toBeLessThanOrEqual(size);
          expect(chunk.map((c) => c.seq)).toEqual(chunk.map((c) => c.seq).sort((a, b) => a - b));
          for (const c of chunk) {
            expect(chunkOfCode.get(c.reading.code) ?? i).toBe(i);
            chunkOfCode.set(c.reading.code, i);
          }
        });
        // Filled in tray order: the first cards of the chunks ascend.
        const firsts = chunks.map((c) => c[0]!.seq);
        expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a repeated customer with their first card', () => {
    const chunks = chunkCards([card(1, 'A'), card(2, 'B'), card(3, 'C'), card(4, 'A'), card(5, 'D')], 2);
    expect(chunks.map((c) => c.map((x) => `${x.seq}${x.reading.code}`))).toEqual([
      ['1A', '2B', '4A'],
      ['3C', '5D'],
    ]);
  });
});
