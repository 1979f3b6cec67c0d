import { randomBytes } from 'node:crypto';
import { entryForm, type BenchCard } from './postcards-cards.js';
import { hidden, tokenOf, type OpsClient } from './postcards-client.js';

/** Postcard batches and single-card entry, through the console's pages as a clerk uses them. */

export async function openBatch(
  client: OpsClient,
  slug: string,
  label: string,
  count: number,
): Promise<string> {
  const page = await client.get(`/ops/postcards/c/${slug}`);
  const res = await client.post(`/ops/postcards/c/${slug}/batches`, {
    _csrf: tokenOf(page.text),
    label,
    physicalCount: String(count),
  });
  if (res.status !== 303) throw new Error(`opening a batch failed: ${res.status}`);
  return /batches\/(\d+)$/.exec(res.location!)![1]!;
}

export interface Timings {
  check: number[];
  save: number[];
  screen: number[];
  card: number[];
}

/** One clerk keys `cards` into a fresh batch exactly as the entry screen does; the first `skip` are not timed. */
export async function keyCards(client: OpsClient, slug: string, cards: BenchCard[], skip: number) {
  const t: Timings = { check: [], save: [], screen: [], card: [] };
  const batchId = await openBatch(client, slug, `entry ${randomBytes(3).toString('hex')}`, cards.length);
  const page = `/ops/postcards/batches/${batchId}`;
  let screen = await client.get(page);
  for (const [i, card] of cards.entries()) {
    const check = await client.post(`${page}/check`, { _csrf: tokenOf(screen.text), code: card.code });
    if (check.status !== 200) throw new Error(`check failed: ${check.status}`);
    const save = await client.post(`${page}/entries`, {
      ...entryForm(card),
      _csrf: tokenOf(check.text),
      code: hidden(check.text, 'code'),
      seq: hidden(check.text, 'seq'),
      keying: hidden(check.text, 'keying'),
    });
    if (save.status !== 303) throw new Error(`save failed: ${save.status} ${save.text.slice(0, 300)}`);
    screen = await client.get(save.location!);
    if (screen.status !== 200) throw new Error(`entry screen failed: ${screen.status}`);
    if (i < skip) continue;
    t.check.push(check.ms);
    t.save.push(save.ms);
    t.screen.push(screen.ms);
    t.card.push(check.ms + save.ms + screen.ms);
  }
  return t;
}
