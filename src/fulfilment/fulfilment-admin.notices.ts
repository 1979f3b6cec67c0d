import { z } from 'zod';
import { FULFILMENT_TEXT } from './fulfilment-admin.messages.js';

/**
 * Post/Redirect/Get for the shipping page: an action redirects to the page with what it did in
 * the query (ids and counts only, never personal data), and the page shows it as a notice. A
 * notice about a batch is shown only if that batch is on the page in the state it claims, so a
 * hand-made link cannot announce a shipment that did not happen.
 */

const ID = z.string().regex(/^[1-9]\d{0,17}$/);
const COUNT = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const DoneSchema = z.discriminatedUnion('done', [
  z.object({ done: z.literal('cut'), batches: COUNT, lines: COUNT }),
  z.object({ done: z.literal('shipped'), batch: ID, delivered: COUNT }),
  z.object({ done: z.literal('already-shipped'), batch: ID }),
]);
export type ShippingDone = z.infer<typeof DoneSchema>;

export const shippingPageUrl = (campaignId: string, done: ShippingDone) =>
  `/ops/fulfilment/campaigns/${campaignId}?${new URLSearchParams(
    Object.entries(done).map(([k, v]) => [k, String(v)]),
  ).toString()}`;

/** The notice for the page's query, or null when there is none (or it does not hold). */
export function shippingNotice(
  query: unknown,
  batches: readonly { id: string; shippedAt: Date | null }[],
): string | null {
  const parsed = DoneSchema.safeParse(query);
  if (!parsed.success) return null;
  const done = parsed.data;
  const t = FULFILMENT_TEXT.notices;
  if (done.done === 'cut') return done.batches > 0 ? t.cut(done.batches, done.lines) : t.nothingToCut;
  if (!batches.some((b) => b.id === done.batch && b.shippedAt)) return null;
  return done.done === 'shipped' ? t.shipped(done.batch, done.delivered) : t.alreadyShipped(done.batch);
}
