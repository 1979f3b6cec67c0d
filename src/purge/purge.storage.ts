import type { ObjectStore } from '../platform/storage/storage.js';
import { campaignPrefix } from '../platform/storage/storage.js';

/**
 * The purge's view of the object store: every file of a campaign (uploads, letters, manifests,
 * opt-out exports) lives under its prefix, on however many machines the service runs, so deleting
 * and proving are a delete and a listing of that prefix, never a look at a local folder.
 */

/** Every object left under the campaign's prefix (keys carry ids and names, never personal data). */
export async function listCampaignObjects(store: ObjectStore, campaignId: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list(campaignPrefix(campaignId))) keys.push(key);
  return keys.sort();
}

export const isSuppressionExport = (campaignId: string, key: string) =>
  key.startsWith(`${campaignPrefix(campaignId)}suppression/`);

/** The report's file counts, from a listing; -1 each when the store cannot be listed. */
export async function countCampaignObjects(
  store: ObjectStore,
  campaignId: string,
): Promise<{ manifest_files: number; suppression_files: number }> {
  const keys = await listCampaignObjects(store, campaignId).catch(() => undefined);
  if (!keys) return { manifest_files: -1, suppression_files: -1 };
  const exports = keys.filter((k) => isSuppressionExport(campaignId, k)).length;
  return { manifest_files: keys.length - exports, suppression_files: exports };
}

/** Deletes every object of the campaign; a store that cannot be reached leaves the counts to say so. */
export async function deleteCampaignObjects(store: ObjectStore, campaignId: string): Promise<void> {
  await store.deletePrefix(campaignPrefix(campaignId)).catch(() => undefined);
}
