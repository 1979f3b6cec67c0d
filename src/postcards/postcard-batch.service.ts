import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import type { Database } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import { countKeyed, maxKeyedSeq } from './postcard-entry.repo.js';
import {
  BatchClosed,
  CloseCountMismatch,
  CloseSecondKeyingIncomplete,
  CountBelowKeyed,
  CountFixedBySecondKeying,
} from './postcard.errors.js';
import {
  closeBatch as closeBatchRow,
  insertBatch,
  lockBatch,
  outcomeCounts,
  setPhysicalCount,
} from './postcard.repo.js';
import { assertTakesPostcards } from './postcard.service.js';

/** Batches (trays of returned postcards): open, correct the count, close; each audited. */

export async function openBatch(
  db: Kysely<Database>,
  campaign: Campaign,
  staffId: string,
  input: { label: string; physicalCount: number; secondKeying: boolean },
  now: Date,
): Promise<string> {
  assertTakesPostcards(campaign);
  return db.transaction().execute(async (trx) => {
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
  });
}

/** A batch closes when every card on the tray is keyed (twice, when it is keyed twice). */
export async function closeBatch(
  db: Kysely<Database>,
  batchId: string,
  staffId: string,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    if (!batch) throw notFound('束');
    if (batch.closed_at) throw BatchClosed();
    const keyed = await countKeyed(trx, batchId);
    if (keyed.keyed1 !== batch.physical_count) throw CloseCountMismatch(keyed.keyed1, batch.physical_count);
    if (batch.second_keying && keyed.keyed2 !== batch.physical_count)
      throw CloseSecondKeyingIncomplete(keyed.keyed2, batch.physical_count);
    await closeBatchRow(trx, batchId, staffId, now);
    await recordAudit(
      trx,
      {
        staffId,
        action: 'postcard.batch_close',
        targetType: 'postcard_batch',
        targetId: batchId,
        campaignId: batch.campaign_id,
        details: {
          physicalCount: batch.physical_count,
          ...keyed,
          outcomes: await outcomeCounts(trx, batchId),
        },
      },
      now,
    );
  });
}

/** The tray was miscounted: the physical count may change, never below what is already keyed. */
export async function correctPhysicalCount(
  db: Kysely<Database>,
  batchId: string,
  staffId: string,
  input: { physicalCount: number; reason: string },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    if (!batch) throw notFound('束');
    if (batch.closed_at) throw BatchClosed();
    const keyed = await countKeyed(trx, batchId);
    const maxSeq = await maxKeyedSeq(trx, batchId);
    if (input.physicalCount < maxSeq) throw CountBelowKeyed(maxSeq);
    if (batch.second_keying && keyed.keyed2 > 0 && input.physicalCount !== batch.physical_count)
      throw CountFixedBySecondKeying();
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
  });
}
