import { findCampaignById, listPublicCampaigns } from '../campaigns/campaign.repo.js';
import { getPublicCampaign, toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import type { Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import {
  countKeyed,
  findEntry,
  firstKeyers,
  lastPostmark,
  nextSeq,
  recentEntries,
} from './postcard-entry.repo.js';
import { countFollowups } from './postcard-followup.repo.js';
import { countNotices } from './postcard-notice.repo.js';
import { NoPostcardsTaken } from './postcard.errors.js';
import { SECOND_KEYING } from './postcard.messages.js';
import { findBatch, listBatches, outcomeCounts } from './postcard.repo.js';
import type { PostcardBatchRow, PostcardEntryRow } from './postcard.table.js';

/** What the postcard pages read: campaigns that take postcards, their batches, where keying stands. */

/** Postcards come in after the deadline too (postmark rule): open and closed campaigns take them. */
export function assertTakesPostcards(campaign: Campaign): void {
  if (campaign.state !== 'open' && campaign.state !== 'closed') throw NoPostcardsTaken();
}

/** Which keying the batch is at: 1, then 2 when it is keyed twice, null when all is keyed. */
export function currentKeying(
  batch: Pick<PostcardBatchRow, 'physical_count' | 'second_keying'>,
  keyed: { keyed1: number; keyed2: number },
): 1 | 2 | null {
  if (keyed.keyed1 < batch.physical_count) return 1;
  if (batch.second_keying && keyed.keyed2 < batch.physical_count) return 2;
  return null;
}

export async function loadCampaign(db: Db, campaignId: string): Promise<Campaign> {
  const row = await findCampaignById(db, campaignId);
  if (!row) throw notFound('キャンペーン');
  return toCampaign(row);
}

/** Campaigns that take postcards: open, or closed (cards postmarked in time still arrive). */
export const listPostcardCampaigns = (db: Db) => listPublicCampaigns(db);

/** The campaign of a path's slug, when it takes postcards (open or closed); otherwise not found. */
export async function postcardCampaignBySlug(db: Db, slug: unknown): Promise<Campaign> {
  if (typeof slug !== 'string') throw notFound('キャンペーン');
  return getPublicCampaign(db, slug);
}

/** The campaign page: its batches and how many cards wait in the follow-up and notice queues. */
export async function getCampaignOverview(db: Db, campaignId: string) {
  const [batches, followups, notices] = await Promise.all([
    listBatches(db, campaignId),
    countFollowups(db, campaignId),
    countNotices(db, campaignId),
  ]);
  return { batches, followups, notices };
}

export async function requireBatch(db: Db, batchId: string): Promise<PostcardBatchRow> {
  const batch = await findBatch(db, batchId);
  if (!batch) throw notFound('束');
  return batch;
}

/** A card (entry) and its campaign, for the follow-up page's forms. */
export async function getEntryWithCampaign(db: Db, entryId: string) {
  const entry = await findEntry(db, entryId);
  if (!entry) throw notFound('はがき');
  return { entry, campaign: await loadCampaign(db, entry.campaign_id) };
}

/** The card just saved, shown above the next one: only when it belongs to this batch. */
export async function findSavedEntry(
  db: Db,
  batchId: string,
  entryId: string,
): Promise<PostcardEntryRow | null> {
  const saved = await findEntry(db, entryId);
  return saved && saved.batch_id === batchId ? saved : null;
}

/**
 * Why this operator may not key the batch now, or null. The second keying is a second person's
 * reading: whoever keyed any card of the first is told so before any form, not after typing a card.
 */
export async function keyingRefusal(db: Db, batchId: string, keying: 1 | 2 | null, staffId: string) {
  if (keying !== 2) return null;
  return (await firstKeyers(db, batchId)).includes(staffId) ? SECOND_KEYING.refused : null;
}

/**
 * What the card form needs: the batch, its campaign, where keying stands, the last postmark, and
 * whether this operator may key it now.
 */
export async function getEntryTarget(db: Db, batchId: string, staffId: string) {
  const batch = await requireBatch(db, batchId);
  const [campaign, keyed, postmark] = await Promise.all([
    loadCampaign(db, batch.campaign_id),
    countKeyed(db, batchId),
    lastPostmark(db, batchId),
  ]);
  const keying = batch.closed_at ? null : currentKeying(batch, keyed);
  const [seq, refusal] = await Promise.all([
    keying
      ? nextSeq(db, batchId, batch.physical_count, keying, keying === 1 ? keyed.keyed1 : keyed.keyed2)
      : null,
    keyingRefusal(db, batchId, keying, staffId),
  ]);
  return { batch, campaign, ...keyed, keying, nextSeq: seq, lastPostmark: postmark, refusal };
}
export type EntryTarget = Awaited<ReturnType<typeof getEntryTarget>>;

/** Everything the entry screen shows about a batch (to this operator). */
export async function getBatchView(db: Db, batchId: string, staffId: string) {
  const target = await getEntryTarget(db, batchId, staffId);
  const [outcomes, recent] = await Promise.all([
    outcomeCounts(db, batchId),
    recentEntries(db, batchId, target.keying ?? (target.batch.second_keying ? 2 : 1)),
  ]);
  return { ...target, outcomes, recent };
}
export type BatchView = Awaited<ReturnType<typeof getBatchView>>;
