import type { Readable } from 'node:stream';
import type { AppDeps } from '../platform/deps.js';
import type { Db } from '../platform/database.js';
import { isValidKey } from '../platform/storage/storage.keys.js';
import { BatchNotFound } from './fulfilment.errors.js';
import { MANIFEST_PAGE_LINES, manifestCsv, manifestKey, readShippedFile } from './manifest.js';
import {
  applyShippedLines,
  cutNextBatch,
  findBatch,
  findFullyTrackedBatches,
  fulfilBatchRedemptions,
  listBatchRecords,
  listCampaignsWithUnbatchedCards,
  listUnshippedBatches,
  lockCampaignCut,
  manifestPage,
  setBatchShipped,
  setManifestFile,
  type BatchRecord,
  type ShippedLine,
} from './shipping.repo.js';

/** Book cards: cut into batches, sent to the vendor as manifests, fulfilled when shipped. */

export type ShippingDeps = Pick<AppDeps, 'config' | 'db' | 'pool' | 'logger' | 'store' | 'now'>;

export interface CutResult {
  batches: { id: string; campaignId: string; lines: number; manifestFile: string | null }[];
}

export interface ShippingBatch {
  id: string;
  campaignId: string;
  lineCount: number;
  cutAt: Date;
  /** Kept after shipping as a record of what was sent; the file itself is deleted then. */
  manifestFile: string | null;
  shippedAt: Date | null;
}

const toBatch = (r: BatchRecord): ShippingBatch => ({
  id: r.id,
  campaignId: r.campaign_id,
  lineCount: r.line_count,
  cutAt: r.cut_at,
  manifestFile: r.manifest_file,
  shippedAt: r.shipped_at,
});

/**
 * Cuts every pending book card (of one campaign, or of all) into batches of at most
 * `maxLinesPerBatch` lines, one transaction per batch, and writes each batch's manifest after its
 * commit. Safe to run concurrently and again after a crash: a committed batch whose manifest was
 * never written gets it on the next run.
 */
export async function cutShippingBatches(
  deps: ShippingDeps,
  opts: { campaignId?: string; maxLinesPerBatch?: number } = {},
): Promise<CutResult> {
  const maxLines = opts.maxLinesPerBatch ?? 50_000;
  if (!Number.isInteger(maxLines) || maxLines < 1)
    throw new Error('maxLinesPerBatch must be a positive integer');
  const recovered = await writeMissingManifests(deps, opts.campaignId);
  if (recovered.length) deps.logger.warn({ batchIds: recovered }, 'rewrote missing shipping manifests');

  const campaignIds = opts.campaignId ? [opts.campaignId] : await listCampaignsWithUnbatchedCards(deps.db);
  const batches: CutResult['batches'] = [];
  const manifests = manifestWriter(deps);
  try {
    for (const campaignId of campaignIds) {
      let after = '0';
      for (;;) {
        const cut = await deps.db.transaction().execute(async (trx) => {
          await lockCampaignCut(trx, campaignId);
          return cutNextBatch(trx, campaignId, after, maxLines, deps.now());
        });
        if (!cut) break;
        after = cut.lastRedemptionId;
        const batch = { id: cut.id, campaignId, lines: cut.lineCount, manifestFile: null as string | null };
        batches.push(batch);
        deps.logger.info({ campaignId, batchId: cut.id, lines: cut.lineCount }, 'shipping batch cut');
        await manifests.write(batch);
        if (cut.lineCount < maxLines) break;
      }
    }
  } finally {
    await manifests.drain();
  }
  return { batches };
}

/**
 * Writes each batch's manifest while the next batch is cut (a second connection, the other core),
 * but never more than one at a time, so memory and connections stay bounded.
 */
function manifestWriter(deps: ShippingDeps) {
  let writing: Promise<void> = Promise.resolve();
  return {
    async write(batch: { id: string; manifestFile: string | null }): Promise<void> {
      await writing;
      writing = writeManifest(deps, batch.id).then((file) => {
        batch.manifestFile = file;
      });
      // Awaited by the next write or by drain(); until then it must not count as unhandled.
      writing.catch(() => undefined);
    },
    drain: () => writing,
  };
}

/**
 * (Re)writes a batch's manifest from the database. Null when the batch is already shipped: the
 * vendor has it, and a new copy of the personal data would only be one more thing to delete.
 */
export async function writeManifest(deps: ShippingDeps, batchId: string): Promise<string | null> {
  const batch = await findBatch(deps.db, batchId);
  if (!batch) throw BatchNotFound();
  if (batch.shipped_at) return null;
  const file = manifestKey(batch.campaign_id, batch.campaign_slug, batch.id);
  // A put appears whole or not at all: the vendor never picks up half a manifest, and two writers of
  // the same batch (a cut and a recovery) cannot interleave.
  const csv = manifestCsv((after) =>
    manifestPage(deps.db, { id: batch.id, campaignId: batch.campaign_id }, after, MANIFEST_PAGE_LINES),
  );
  await deps.store.put(file, csv, { sensitive: true });
  // Marking shipped may have happened while we wrote; its delete could then have come too early.
  if (!(await setManifestFile(deps.db, batch.id, file))) {
    await deps.store.delete(file);
    return null;
  }
  return file;
}

/** A recorded manifest that is in storage (a path recorded before the object store is not). */
export const storedFileExists = async (deps: Pick<ShippingDeps, 'store'>, file: string) =>
  isValidKey(file) && (await deps.store.exists(file));

/** Unshipped batches whose manifest was never recorded or is gone from storage get it written again. */
export async function writeMissingManifests(deps: ShippingDeps, campaignId?: string): Promise<string[]> {
  const rewritten: string[] = [];
  for (const b of await listUnshippedBatches(deps.db, campaignId)) {
    const present = b.manifest_file !== null && (await storedFileExists(deps, b.manifest_file));
    if (!present && (await writeManifest(deps, b.id))) rewritten.push(b.id);
  }
  return rewritten;
}

export interface MarkShippedResult {
  batchId: string;
  /** Redemptions fulfilled by this call (0 when repeated). */
  fulfilled: number;
  shippedAt: Date;
}

/**
 * Marks a batch shipped and fulfils its redemptions, then deletes the manifest: it is a copy of
 * personal data and the vendor already has it. Repeating it changes nothing.
 */
export async function markBatchShipped(
  deps: ShippingDeps,
  batchId: string,
  at: Date = deps.now(),
): Promise<MarkShippedResult> {
  const { batch, fulfilled, shippedAt } = await deps.db.transaction().execute(async (trx) => {
    const batch = await findBatch(trx, batchId, true);
    if (!batch) throw BatchNotFound();
    const fulfilled = await fulfilBatchRedemptions(trx, batch.id, at);
    if (!batch.shipped_at) await setBatchShipped(trx, batch.id, at);
    return { batch, fulfilled, shippedAt: batch.shipped_at ?? at };
  });
  const files = new Set([manifestKey(batch.campaign_id, batch.campaign_slug, batch.id)]);
  if (batch.manifest_file && isValidKey(batch.manifest_file)) files.add(batch.manifest_file);
  for (const f of files) await deps.store.delete(f);
  if (fulfilled) deps.logger.info({ batchId: batch.id, fulfilled }, 'shipping batch marked shipped');
  return { batchId: batch.id, fulfilled, shippedAt };
}

export interface ImportShippedResult {
  /** Lines whose tracking number was set or changed. */
  updated: number;
  badRows: { line: number; message: string }[];
  /** Batches that became fully shipped with this file. */
  shippedBatches: string[];
}

const IMPORT_CHUNK = 5_000;

/**
 * Imports the vendor's shipped file. Bad rows are reported with their file line and import nothing;
 * good rows set tracking numbers and fulfil their redemptions; a batch whose every line is tracked
 * is marked shipped. Importing the same file again changes nothing.
 */
export async function importShippedFile(deps: ShippingDeps, input: Readable): Promise<ImportShippedResult> {
  const at = deps.now();
  const badRows: ImportShippedResult['badRows'] = [];
  const trackingByLine = new Map<string, string>();
  const touched = new Set<string>();
  let chunk: ShippedLine[] = [];
  let updated = 0;

  const flush = async () => {
    if (chunk.length === 0) return;
    const lines = chunk;
    chunk = [];
    const r = await deps.db.transaction().execute((trx) => applyShippedLines(trx, lines, at));
    updated += r.updated;
    r.batchIds.forEach((id) => touched.add(id));
    for (const line of r.unknownFileLines) badRows.push({ line, message: 'no such batch and line' });
  };

  for await (const item of readShippedFile(input)) {
    if ('error' in item) {
      badRows.push({ line: item.line, message: item.error });
      continue;
    }
    const { batch, line, tracking_number } = item.row;
    const key = `${batch}:${line}`;
    const earlier = trackingByLine.get(key);
    if (earlier !== undefined) {
      // The same row twice is harmless; two tracking numbers for one card cannot both be right.
      if (earlier !== tracking_number)
        badRows.push({ line: item.line, message: 'line repeated with another tracking_number' });
      continue;
    }
    trackingByLine.set(key, tracking_number);
    chunk.push({ batchId: batch, lineNo: line, trackingNumber: tracking_number, fileLine: item.line });
    if (chunk.length >= IMPORT_CHUNK) await flush();
  }
  await flush();

  const shippedBatches = await findFullyTrackedBatches(deps.db, [...touched]);
  for (const id of shippedBatches) await markBatchShipped(deps, id, at);
  badRows.sort((a, b) => a.line - b.line);
  deps.logger.info({ updated, badRows: badRows.length, shippedBatches }, 'shipped file imported');
  return { updated, badRows, shippedBatches };
}

export async function listBatches(db: Db, campaignId: string): Promise<ShippingBatch[]> {
  return (await listBatchRecords(db, campaignId)).map(toBatch);
}
