import type { createDb } from '../../src/platform/db.js';
import { postcardsLog as log } from './log.js';
import { csvFile, type BenchCard } from './postcards-cards.js';
import { tokenOf, type OpsClient } from './postcards-client.js';
import { openBatch } from './postcards-entry.js';

/** CSV intake through the upload route: one batch and one multipart upload per file of OCR'd cards. */
export async function uploadCsvFiles(
  clerk: OpsClient,
  slug: string,
  csvCards: BenchCard[],
  perFile: number,
): Promise<{ ms: number; n: number }> {
  let ms = 0;
  let n = 0;
  for (let f = 0; f * perFile < csvCards.length; f++) {
    const cards = csvCards.slice(f * perFile, (f + 1) * perFile);
    const batchId = await openBatch(clerk, slug, `OCR ${f + 1}`, cards.length);
    const page = await clerk.get(`/ops/postcards/batches/${batchId}`);
    const form = new FormData();
    form.set('_csrf', tokenOf(page.text));
    form.set('file', new Blob([csvFile(cards)], { type: 'text/csv' }), `ocr-${f + 1}.csv`);
    const res = await clerk.request('POST', `/ops/postcards/batches/${batchId}/upload`, form);
    if (res.status !== 200)
      throw new Error(`upload ${f + 1} failed: ${res.status} ${res.text.slice(0, 400)}`);
    const got = Number(/のうち <strong>(\d+)<\/strong> 行を取り込みました/.exec(res.text)?.[1]);
    if (got !== cards.length) throw new Error(`upload ${f + 1} imported ${got} of ${cards.length}`);
    n += got;
    ms += res.ms;
    log(`upload ${f + 1}: ${cards.length} cards in ${Math.round(res.ms)} ms`);
  }
  return { ms, n };
}

/** How many entries the intake made of each outcome (accepted, duplicate, late, invalid …). */
export async function entryOutcomes(db: ReturnType<typeof createDb>): Promise<Record<string, number>> {
  const outcomes = await db
    .selectFrom('postcard_entries')
    .select(['outcome', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('outcome')
    .execute();
  return Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)]));
}

/** Counters divided by the cards imported, to two decimals. */
export const perCardOf = (diff: Record<string, number>, cards: number) =>
  Object.fromEntries(
    Object.entries(diff).map(([k, v]) => [k, Math.round((v / Math.max(1, cards)) * 100) / 100]),
  );
