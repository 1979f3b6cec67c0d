import { recordAudit } from '../audit/audit.service.js';
import { findCampaignById } from '../campaigns/campaign.repo.js';
import { toCampaign, type Campaign } from '../campaigns/campaign.service.js';
import type { Db } from '../platform/database.js';
import { AppError, notFound } from '../platform/errors.js';
import {
  countKeyed,
  firstKeyers,
  lastPostmark,
  maxKeyedSeq,
  nextSeq,
  recentEntries,
} from './postcard-entry.repo.js';
import { SECOND_KEYING } from './postcard.messages.js';
import {
  closeBatch as closeBatchRow,
  findBatch,
  insertBatch,
  lockBatch,
  outcomeCounts,
  setPhysicalCount,
} from './postcard.repo.js';
import type { PostcardBatchRow } from './postcard.table.js';

/** Batches (trays of returned postcards): open, key, correct the count, close. */

export const BATCH_CLOSED = 'この束はすでに締められています。';

/** Postcards come in after the deadline too (postmark rule): open and closed campaigns take them. */
export function assertTakesPostcards(campaign: Campaign): void {
  if (campaign.state !== 'open' && campaign.state !== 'closed')
    throw new AppError('conflict', 'このキャンペーンでは、はがきを受け付けていません。');
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

export async function openBatch(
  trx: Db,
  campaign: Campaign,
  staffId: string,
  input: { label: string; physicalCount: number; secondKeying: boolean },
  now: Date,
): Promise<string> {
  assertTakesPostcards(campaign);
  const id = await insertBatch(
    trx,
    {
      campaign_id: campaign.id,
      label: input.label,
      physical_count: input.physicalCount,
      second_keying: input.secondKeying,
      opened_by: staffId,
    },
    now,
  );
  await recordAudit(
    trx,
    {
      staffId,
      action: 'postcard.batch_open',
      targetType: 'postcard_batch',
      targetId: id,
      campaignId: campaign.id,
      details: { physicalCount: input.physicalCount, secondKeying: input.secondKeying },
    },
    now,
  );
  return id;
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
  const batch = await findBatch(db, batchId);
  if (!batch) throw notFound('束');
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

/** A batch closes when every card on the tray is keyed (twice, when it is keyed twice). */
export async function closeBatch(trx: Db, batchId: string, staffId: string, now: Date): Promise<void> {
  const batch = await lockBatch(trx, batchId);
  if (!batch) throw notFound('束');
  if (batch.closed_at) throw new AppError('conflict', BATCH_CLOSED);
  const keyed = await countKeyed(trx, batchId);
  if (keyed.keyed1 !== batch.physical_count)
    throw new AppError(
      'conflict',
      `入力済みの ${keyed.keyed1} 枚が実枚数 ${batch.physical_count} 枚と一致しないため、締められません。`,
    );
  if (batch.second_keying && keyed.keyed2 !== batch.physical_count)
    throw new AppError(
      'conflict',
      `2回目の入力が ${keyed.keyed2} / ${batch.physical_count} 枚です。すべて入力してから締めてください。`,
    );
  await closeBatchRow(trx, batchId, staffId, now);
  await recordAudit(
    trx,
    {
      staffId,
      action: 'postcard.batch_close',
      targetType: 'postcard_batch',
      targetId: batchId,
      campaignId: batch.campaign_id,
      details: { physicalCount: batch.physical_count, ...keyed, outcomes: await outcomeCounts(trx, batchId) },
    },
    now,
  );
}

/** The tray was miscounted: the physical count may change, never below what is already keyed. */
export async function correctPhysicalCount(
  trx: Db,
  batchId: string,
  staffId: string,
  input: { physicalCount: number; reason: string },
  now: Date,
): Promise<void> {
  const batch = await lockBatch(trx, batchId);
  if (!batch) throw notFound('束');
  if (batch.closed_at) throw new AppError('conflict', BATCH_CLOSED);
  const keyed = await countKeyed(trx, batchId);
  const maxSeq = await maxKeyedSeq(trx, batchId);
  if (input.physicalCount < maxSeq)
    throw new AppError(
      'validation',
      `すでに ${maxSeq} 番まで入力されています。それより少なくはできません。`,
      {
        fields: { physicalCount: '入力済みの枚数より少なくはできません。' },
      },
    );
  if (batch.second_keying && keyed.keyed2 > 0 && input.physicalCount !== batch.physical_count)
    throw new AppError('conflict', '2回目の入力が始まった束の実枚数は変えられません。');
  await setPhysicalCount(trx, batchId, input.physicalCount);
  await recordAudit(
    trx,
    {
      staffId,
      action: 'postcard.batch_count',
      targetType: 'postcard_batch',
      targetId: batchId,
      campaignId: batch.campaign_id,
      reason: input.reason,
      details: { from: batch.physical_count, to: input.physicalCount },
    },
    now,
  );
}
