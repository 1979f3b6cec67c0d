import type { Readable } from 'node:stream';
import { audit } from '../audit/audit.service.js';
import { CampaignNotFound } from '../campaigns/campaign.errors.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import type { Db } from '../platform/database.js';
import type { AppDeps } from '../platform/deps.js';
import { FULFILMENT_TEXT } from './fulfilment-admin.messages.js';
import { countTrackedLines, countUnbatchedCards, listCampaignFulfilment } from './fulfilment-admin.repo.js';
import { BatchNotFound, ManifestDeletedWithShipment } from './fulfilment.errors.js';
import { findBatch } from './shipping.repo.js';
import {
  cutShippingBatches,
  importShippedFile,
  listBatches,
  markBatchShipped,
  storedFileExists,
  writeManifest,
  type ImportShippedResult,
  type ShippingBatch,
} from './shipping.service.js';

/**
 * The operators' side of shipping: what the pages show, and the actions behind their buttons, each
 * audited with the operator who pressed it.
 */

export const campaignOverview = (db: Db) => listCampaignFulfilment(db);

export interface BatchView extends ShippingBatch {
  /** The manifest file is in storage now (it is deleted once the batch is shipped). */
  manifestPresent: boolean;
  trackedLines: number;
}

export interface CampaignShipping {
  campaign: { id: string; slug: string; companyName: string; state: string };
  batches: BatchView[];
  unbatchedCards: number;
}

async function findCampaign(db: Db, campaignId: string) {
  const row = await findCampaignById(db, campaignId);
  if (!row) throw CampaignNotFound();
  return { id: row.id, slug: row.slug, companyName: row.company_name, state: row.state };
}

export async function campaignShipping(
  deps: Pick<AppDeps, 'db' | 'store'>,
  campaignId: string,
): Promise<CampaignShipping> {
  const { db } = deps;
  const campaign = await findCampaign(db, campaignId);
  const [batches, unbatchedCards] = await Promise.all([
    listBatches(db, campaign.id),
    countUnbatchedCards(db, campaign.id),
  ]);
  const tracked = await countTrackedLines(
    db,
    batches.map((b) => b.id),
  );
  const views = await Promise.all(
    batches.map(async (b) => ({
      ...b,
      manifestPresent:
        b.manifestFile !== null && !b.shippedAt && (await storedFileExists(deps, b.manifestFile)),
      trackedLines: tracked.get(b.id) ?? 0,
    })),
  );
  return { campaign, batches: views.reverse(), unbatchedCards };
}

export interface CutByOperator {
  batches: number;
  lines: number;
}

/** "Cut batches now" for one campaign: the scheduled cut, run at once. */
export async function cutForCampaign(
  deps: AppDeps,
  staffId: string,
  campaignId: string,
): Promise<CutByOperator> {
  const campaign = await findCampaign(deps.db, campaignId);
  const { batches } = await cutShippingBatches(deps, { campaignId: campaign.id });
  const lines = batches.reduce((n, b) => n + b.lines, 0);
  // The cut commits batch by batch (shipping.service owns those transactions); the entry follows it.
  await audit(
    deps.db,
    {
      staffId,
      action: 'shipping.cut',
      targetType: 'campaign',
      targetId: campaign.id,
      campaignId: campaign.id,
      details: { batchIds: batches.map((b) => b.id), lines },
    },
    deps.now(),
  );
  return { batches: batches.length, lines };
}

export async function findBatchForOperator(db: Db, batchId: string) {
  const batch = await findBatch(db, batchId);
  if (!batch) throw BatchNotFound();
  return batch;
}

export interface ManifestExport {
  body: Readable;
  filename: string;
}

/**
 * Opens the batch's manifest for download from storage (any web process serves it), writing it
 * again if it is missing, and audits the export before a byte leaves. An open read keeps streaming
 * even if the batch is marked shipped (and the object deleted) meanwhile.
 */
export async function exportManifest(
  deps: AppDeps,
  staffId: string,
  batchId: string,
): Promise<ManifestExport> {
  const batch = await findBatchForOperator(deps.db, batchId);
  if (batch.shipped_at) throw ManifestDeletedWithShipment();
  const open = (file: string) => deps.store.get(file, { sensitive: true });
  let file = batch.manifest_file;
  let body = file ? await open(file).catch(() => undefined) : undefined;
  if (!body) {
    file = await writeManifest(deps, batch.id);
    if (!file) throw ManifestDeletedWithShipment();
    body = await open(file);
  }
  try {
    await audit(
      deps.db,
      {
        staffId,
        action: 'export.shipping_manifest',
        targetType: 'shipping_batch',
        targetId: batch.id,
        campaignId: batch.campaign_id,
        details: { lines: batch.line_count },
      },
      deps.now(),
    );
  } catch (err) {
    body.destroy();
    throw err;
  }
  return { body, filename: file!.split('/').at(-1)! };
}

export type MarkShippedOutcome = { already: true } | { already: false; fulfilled: number };

/**
 * The operator's word that the vendor shipped the batch. Audited first: markBatchShipped runs its
 * own transaction, and an entry for a step that then failed (and is repeated) is better than a
 * shipped batch nobody answers for. Repeating it changes nothing.
 */
export async function markShippedByOperator(
  deps: AppDeps,
  staffId: string,
  batchId: string,
): Promise<MarkShippedOutcome> {
  const batch = await findBatchForOperator(deps.db, batchId);
  if (batch.shipped_at) return { already: true };
  const at = deps.now();
  await audit(
    deps.db,
    {
      staffId,
      action: 'shipping.mark_shipped',
      targetType: 'shipping_batch',
      targetId: batch.id,
      campaignId: batch.campaign_id,
      details: { lines: batch.line_count },
    },
    at,
  );
  const { fulfilled } = await markBatchShipped(deps, batch.id, at);
  return { already: false, fulfilled };
}

/**
 * The vendor's shipped file, uploaded. A wrong header throws before anything is written; otherwise
 * the good rows are applied and the entry records the counts (the file holds batch, line and
 * tracking number: nothing personal).
 */
export async function importShippedUpload(
  deps: AppDeps,
  staffId: string,
  input: Readable,
  bytes: number,
): Promise<ImportShippedResult> {
  const result = await importShippedFile(deps, input);
  await audit(
    deps.db,
    {
      staffId,
      action: 'shipping.import_shipped_file',
      targetType: 'shipped_file',
      details: {
        bytes,
        updated: result.updated,
        badRows: result.badRows.length,
        shippedBatches: result.shippedBatches,
      },
    },
    deps.now(),
  );
  return result;
}

/** A bad row's reason in the operator's Japanese (the reader words it for the vendor). */
export function describeBadRow(message: string): string {
  for (const [pattern, text] of FULFILMENT_TEXT.badRows)
    if (pattern.test(message)) return message.replace(pattern, text);
  return message;
}
