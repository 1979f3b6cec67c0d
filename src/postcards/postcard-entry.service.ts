import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Database, Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import { applyReading, type Keyer } from './postcard-apply.service.js';
import {
  countKeyed,
  findEntryAt,
  firstKeyers,
  insertEntry,
  setEntryOutcome,
  type NewEntry,
} from './postcard-entry.repo.js';
import {
  decodeDataTicks,
  encodeDataTicks,
  makeReading,
  mismatchReason,
  readingDifferences,
  type CardReading,
  type GiftTick,
} from './postcard.rules.js';
import {
  BatchClosed,
  FirstKeyingOpen,
  NotKeyedTwice,
  SecondKeyerRefused,
  SeqBeyondCount,
  SeqTaken,
} from './postcard.errors.js';
import type { EntryForm } from './postcard.schema.js';
import { assertTakesPostcards, currentKeying, loadCampaign } from './postcard.service.js';
import { lockBatch } from './postcard.repo.js';
import type { PostcardBatchRow, PostcardEntryRow, PostcardOutcome } from './postcard.table.js';

/** Saving one reading of one card at its position in the tray. */

export interface EntryResult {
  entryId: string;
  seq: number;
  keying: 1 | 2;
  code: string;
  outcome: PostcardOutcome;
  reason: string | null;
  /** The same card was already saved (a resubmitted form): nothing new was written. */
  replay: boolean;
}

export const readingOfEntry = (e: PostcardEntryRow): CardReading =>
  makeReading(
    e.registration_code,
    e.ticked_options as GiftTick[],
    decodeDataTicks(e.data_choice),
    e.postmark_date ?? '',
  );

function entryRow(
  batch: PostcardBatchRow,
  at: { seq: number; keying: 1 | 2 },
  reading: CardReading,
  keyer: Keyer,
  result: {
    outcome: PostcardOutcome;
    reason: string | null;
    customerId: string | null;
    redemptionId: string | null;
  },
): NewEntry {
  return {
    batch_id: batch.id,
    campaign_id: batch.campaign_id,
    seq: at.seq,
    keying: at.keying,
    registration_code: reading.code,
    customer_id: result.customerId,
    ticked_options: reading.gifts,
    data_choice: encodeDataTicks(reading.data),
    postmark_date: reading.postmarkDate,
    outcome: result.outcome,
    reason: result.reason,
    redemption_id: result.redemptionId,
    entered_by: keyer.staffId,
    entered_at: keyer.now,
  };
}

/** Checks that this keying of this position may be saved now; returns the earlier save of a resubmit. */
async function admit(
  trx: Db,
  batch: PostcardBatchRow,
  form: EntryForm,
  keyer: Keyer,
): Promise<PostcardEntryRow | undefined> {
  if (batch.closed_at) throw BatchClosed();
  const existing = await findEntryAt(trx, batch.id, form.seq, form.keying);
  if (existing) {
    if (existing.entered_by === keyer.staffId && existing.registration_code === form.reading.code)
      return existing;
    throw SeqTaken(form.seq);
  }
  if (form.seq < 1 || form.seq > batch.physical_count) throw SeqBeyondCount(form.seq, batch.physical_count);
  if (form.keying === 2 && !batch.second_keying) throw NotKeyedTwice();
  // A free position of the first keying is always open to it (a full keying has none); the second
  // keying starts only once the first is complete.
  if (form.keying === 2 && currentKeying(batch, await countKeyed(trx, batch.id)) !== 2)
    throw FirstKeyingOpen();
  // The screen no longer offers this form to them; a stale or hand-made form still stops here.
  if (form.keying === 2 && (await firstKeyers(trx, batch.id)).includes(keyer.staffId))
    throw SecondKeyerRefused();
  return undefined;
}

type Outcome = Pick<EntryResult, 'outcome' | 'reason'> & {
  customerId: string | null;
  redemptionId: string | null;
};

/**
 * The outcome of this reading. Without second keying the card is decided at once; with it, the
 * first keying waits (pending_verification) and the second either matches the first (then the card
 * is decided) or is flagged as a mismatch. Returns the first keying's row when it must carry the
 * outcome too.
 */
async function decideReading(
  trx: Db,
  campaign: Campaign,
  batch: PostcardBatchRow,
  form: EntryForm,
  keyer: Keyer,
): Promise<{ result: Outcome; first?: PostcardEntryRow }> {
  if (form.keying === 1 && batch.second_keying)
    return {
      result: { outcome: 'pending_verification', reason: null, customerId: null, redemptionId: null },
    };
  const first = form.keying === 2 ? await findEntryAt(trx, batch.id, form.seq, 1, true) : undefined;
  const diffs = first ? readingDifferences(readingOfEntry(first), form.reading) : [];
  if (diffs.length > 0)
    return {
      result: { outcome: 'mismatch', reason: mismatchReason(diffs), customerId: null, redemptionId: null },
      first,
    };
  const applied = await applyReading(trx, campaign, batch, form.reading, keyer);
  return {
    result: { ...applied.decision, customerId: applied.customerId, redemptionId: applied.redemptionId },
    first,
  };
}

/** Saves one reading of one card at its position in the tray (see decideReading), audited. */
export async function enterCard(
  db: Kysely<Database>,
  batchId: string,
  form: EntryForm,
  keyer: Keyer,
): Promise<EntryResult> {
  return db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    if (!batch) throw notFound('束');
    const campaign = await loadCampaign(trx, batch.campaign_id);
    assertTakesPostcards(campaign);
    const at = { seq: form.seq, keying: form.keying };
    const done = (entryId: string, r: Pick<EntryResult, 'outcome' | 'reason'>, replay = false) => ({
      entryId,
      ...at,
      code: form.reading.code,
      outcome: r.outcome,
      reason: r.reason,
      replay,
    });

    const earlier = await admit(trx, batch, form, keyer);
    if (earlier) return done(earlier.id, earlier, true);
    const { result, first } = await decideReading(trx, campaign, batch, form, keyer);
    const entryId = await insertEntry(trx, entryRow(batch, at, form.reading, keyer, result));
    if (first)
      await setEntryOutcome(trx, [first.id], {
        outcome: result.outcome,
        reason: result.reason,
        redemption_id: result.redemptionId,
        customer_id: result.customerId,
      });
    // Last, so that the audit chain's lock is held only until the commit.
    await recordAudit(
      trx,
      {
        staffId: keyer.staffId,
        action: 'postcard.enter',
        targetType: 'postcard_entry',
        targetId: entryId,
        campaignId: campaign.id,
        details: {
          batchId,
          seq: form.seq,
          keying: form.keying,
          registrationCode: form.reading.code,
          outcome: result.outcome,
        },
      },
      keyer.now,
    );
    return done(entryId, result);
  });
}
