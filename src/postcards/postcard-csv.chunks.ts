import type { CsvCard } from './postcard-csv.schema.js';

/**
 * An OCR file's cards cut into chunks that can be written side by side. Every card of one code
 * (one customer) goes into the chunk of that code's first card, so the tray order alone decides
 * which of a customer's cards is accepted, whichever chunk commits first. Chunks are filled in tray
 * order; a chunk takes `size` first cards plus any later cards of its codes. Each chunk keeps tray order.
 */
export function chunkCards(cards: readonly CsvCard[], size: number): CsvCard[][] {
  const chunks: CsvCard[][] = [];
  const chunkOfCode = new Map<string, CsvCard[]>();
  let open: CsvCard[] | undefined;
  let firsts = 0;
  for (const card of [...cards].sort((a, b) => a.seq - b.seq)) {
    const earlier = chunkOfCode.get(card.reading.code);
    if (earlier) {
      earlier.push(card);
      continue;
    }
    if (!open || firsts === size) {
      open = [];
      firsts = 0;
      chunks.push(open);
    }
    open.push(card);
    firsts++;
    chunkOfCode.set(card.reading.code, open);
  }
  return chunks;
}
