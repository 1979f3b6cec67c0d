import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Database, Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import { applyReading, type Keyer } from './postcard-apply.service.js';
import { findEntry, findEntryAt, setEntryOutcome } from './postcard-entry.repo.js';
import { readingOfEntry } from './postcard-entry.service.js';
import { countFollowups, listFollowups, markCardResolved } from './postcard-followup.repo.js';
import { FollowupDone, ReadingsIncomplete, ReadingsOnlyForMismatch } from './postcard.errors.js';
import { lockBatch } from './postcard.repo.js';
import type { PostcardOutcome } from './postcard.table.js';
import { loadCampaign } from './postcard.service.js';

/**
 * The follow-up queue: invalid cards (to answer the customer) and mismatched double keyings (to
 * read the card again). Late and duplicate cards were decided by the rules; what their senders are
 * told waits in the notice queue instead (postcard-notice.service.ts).
 */

export async function getFollowupQueue(db: Db, campaignId: string, limit = 500) {
  const [rows, total] = await Promise.all([
    listFollowups(db, campaignId, limit),
    countFollowups(db, campaignId),
  ]);
  return { rows, total };
}

export type ResolveAction = 'close' | 'apply1' | 'apply2';

/**
 * Resolves one card with a note. A mismatch may instead be settled by taking one of the two
 * readings after looking at the card: that reading is then decided like a fresh card.
 */
export async function resolveFollowup(
  db: Kysely<Database>,
  entryId: string,
  input: { action: ResolveAction; note: string },
  keyer: Keyer,
): Promise<{ campaignId: string; outcome: PostcardOutcome }> {
  return db.transaction().execute((trx) => resolveIn(trx, entryId, input, keyer));
}

async function resolveIn(
  trx: Db,
  entryId: string,
  input: { action: ResolveAction; note: string },
  keyer: Keyer,
): Promise<{ campaignId: string; outcome: PostcardOutcome }> {
  const found = await findEntry(trx, entryId);
  if (!found) throw notFound('はがき');
  const batch = (await lockBatch(trx, found.batch_id))!;
  const entry = (await findEntryAt(trx, found.batch_id, found.seq, found.keying, true))!;
  if (entry.followup_resolved_at || (entry.outcome !== 'invalid' && entry.outcome !== 'mismatch'))
    throw FollowupDone();
  let outcome: PostcardOutcome = entry.outcome;
  if (input.action === 'close') {
    await markCardResolved(trx, entry.batch_id, entry.seq, keyer.now);
  } else {
    if (entry.outcome !== 'mismatch') throw ReadingsOnlyForMismatch();
    const [k1, k2] = await Promise.all([
      findEntryAt(trx, entry.batch_id, entry.seq, 1, true),
      findEntryAt(trx, entry.batch_id, entry.seq, 2, true),
    ]);
    if (!k1 || !k2) throw ReadingsIncomplete();
    const chosen = input.action === 'apply1' ? k1 : k2;
    const campaign = await loadCampaign(trx, entry.campaign_id);
    const applied = await applyReading(trx, campaign, batch, readingOfEntry(chosen), keyer);
    outcome = applied.decision.outcome;
    await setEntryOutcome(trx, [k1.id, k2.id], {
      outcome,
      reason: applied.decision.reason ?? `不一致を確認し、${chosen.keying}回目の読み取りで受け付けました。`,
      redemption_id: applied.redemptionId,
      customer_id: applied.customerId,
      followup_resolved_at: keyer.now,
    });
  }
  await recordAudit(
    trx,
    {
      staffId: keyer.staffId,
      action: 'postcard.followup_resolve',
      targetType: 'postcard_entry',
      targetId: entry.id,
      campaignId: entry.campaign_id,
      reason: input.note,
      details: {
        batchId: entry.batch_id,
        seq: entry.seq,
        action: input.action,
        from: entry.outcome,
        outcome,
      },
    },
    keyer.now,
  );
  return { campaignId: entry.campaign_id, outcome };
}
