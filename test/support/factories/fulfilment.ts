import type { Campaign } from '../../../src/campaigns/campaign.service.js';
import { manifestKey } from '../../../src/fulfilment/manifest.js';
import type { AppDeps } from '../../../src/platform/deps.js';

/** Deliveries as fulfilment records them: donations in the ledger, book cards in shipping batches. */

/** A donation booked in the ledger (what fulfilment does next to marking it fulfilled). */
export async function bookInLedger(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  redemptionId: string,
  at: Date,
): Promise<void> {
  await deps.db
    .insertInto('donation_ledger')
    .values({
      redemption_id: redemptionId,
      campaign_id: campaign.id,
      recipient: '寄付先',
      amount_yen: 500,
      booked_at: at,
    })
    .execute();
}

export interface ShippingBatchOverrides {
  cutAt?: Date;
  shippedAt?: Date | null;
  /** Book-card redemptions on the batch, one line each, in order. */
  lines?: { redemptionId: string; trackingNumber?: string | null }[];
}

/** A cut shipping batch of the campaign (one line unless `lines` say otherwise). Returns its id. */
export async function buildShippingBatch(
  deps: Pick<AppDeps, 'db'>,
  campaign: Campaign,
  o: ShippingBatchOverrides = {},
): Promise<string> {
  const lines = o.lines ?? [];
  const { id } = await deps.db
    .insertInto('shipping_batches')
    .values({
      campaign_id: campaign.id,
      line_count: lines.length || 1,
      cut_at: o.cutAt ?? new Date(),
      shipped_at: o.shippedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (lines.length)
    await deps.db
      .insertInto('shipping_lines')
      .values(
        lines.map((l, i) => ({
          redemption_id: l.redemptionId,
          batch_id: id,
          line_no: i + 1,
          tracking_number: l.trackingNumber ?? null,
        })),
      )
      .execute();
  return id;
}

/**
 * A cut batch whose manifest (names and addresses for the vendor) is still in the object store,
 * with `contents` as its text.
 */
export async function buildBatchWithManifest(
  deps: Pick<AppDeps, 'db' | 'store'>,
  campaign: Campaign,
  o: { cutAt: Date; contents: string },
): Promise<{ batchId: string; manifest: string }> {
  const batchId = await buildShippingBatch(deps, campaign, { cutAt: o.cutAt });
  const manifest = manifestKey(campaign.id, campaign.slug, batchId);
  await deps.store.put(manifest, o.contents, { sensitive: true });
  await deps.db
    .updateTable('shipping_batches')
    .set({ manifest_file: manifest })
    .where('id', '=', batchId)
    .execute();
  return { batchId, manifest };
}
