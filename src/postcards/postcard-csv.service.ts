import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import { CsvFormatError } from '../platform/csv-records.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import type { Database, Db } from '../platform/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { findRedemptionByCustomer } from '../redemption/redemption.repo.js';
import { amountOf, holderFacts, rulesOf, type Keyer } from './postcard-apply.service.js';
import {
  addFulfilIntents,
  addManyToSuppressionList,
  insertEntries,
  insertRedemptionsOnce,
  type BulkRedemption,
} from './postcard-bulk.repo.js';
import { findCardHolders } from './postcard-card.repo.js';
import { CsvReport, readCards, type CsvImportReport } from './postcard-csv.read.js';
import type { CsvCard } from './postcard-csv.schema.js';
import { countKeyed, keyedSeqs } from './postcard-entry.repo.js';
import { decideCard, duplicateReason, encodeDataTicks, type Decision } from './postcard.rules.js';
import { findBatch, lockBatch } from './postcard.repo.js';
import { assertTakesPostcards, BATCH_CLOSED, currentKeying, loadCampaign } from './postcard.service.js';
import type { PostcardOutcome } from './postcard.table.js';

export type { CsvBadRow, CsvImportReport } from './postcard-csv.read.js';

/**
 * An OCR vendor's file of keyed postcards into one batch, as its first keying. Every row is
 * validated first; bad rows are reported with their line and left out. Good rows are then decided
 * and written set-based, a chunk per transaction (each chunk with its audit entry). Uploading the
 * same file again is safe: positions already keyed are reported and skipped.
 */

interface Decided {
  card: CsvCard;
  decision: Decision | { outcome: 'pending_verification'; reason: null };
  customerId: string | null;
  redemptionId: string | null;
}

/** Decides a chunk of cards like single entries; a second card of one customer in the file is a duplicate. */
async function decideChunk(trx: Db, campaign: Campaign, cards: CsvCard[]): Promise<Decided[]> {
  const holders = await findCardHolders(trx, campaign.id, [...new Set(cards.map((c) => c.reading.code))]);
  const byCode = new Map(holders.map((h) => [h.registration_code, h]));
  const rules = rulesOf(campaign);
  const acceptedAt = new Map<string, number>();
  return cards.map((card) => {
    const row = byCode.get(card.reading.code);
    let decision: Decision = decideCard(card.reading, holderFacts(card.reading.code, row), rules);
    const customerId = row?.customer_id ?? null;
    if (decision.outcome === 'accepted') {
      const seq = acceptedAt.get(customerId!);
      if (seq !== undefined)
        decision = { outcome: 'duplicate', reason: `同じファイルの ${seq} 番ですでに受け付けました。` };
      else acceptedAt.set(customerId!, card.seq);
    }
    return {
      card,
      decision,
      customerId,
      redemptionId: decision.outcome === 'duplicate' ? (row?.redemption_id ?? null) : null,
    };
  });
}

/** Redemptions, fulfilment intents and opt-outs of the chunk's accepted cards, set-based. */
async function redeemChunk(trx: Db, campaign: Campaign, batchId: string, decided: Decided[], keyer: Keyer) {
  const accepted = decided.filter((d) => d.decision.outcome === 'accepted');
  const rows: BulkRedemption[] = accepted.map((d) => {
    const dec = d.decision as Extract<Decision, { outcome: 'accepted' }>;
    return {
      customerId: d.customerId!,
      option: dec.option,
      amountYen: amountOf(campaign, dec.option),
      dataChoice: dec.dataChoice,
      postmarkDate: d.card.reading.postmarkDate,
    };
  });
  const created = await insertRedemptionsOnce(
    trx,
    { campaignId: campaign.id, batchId, enteredBy: keyer.staffId, at: keyer.now },
    rows,
  );
  const optOuts: string[] = [];
  for (const d of accepted) {
    const id = created.get(d.customerId!);
    if (id) {
      d.redemptionId = id;
      if ((d.decision as { dataChoice: string }).dataChoice === 'marketing_optout')
        optOuts.push(d.customerId!);
      continue;
    }
    // Another card or the web got there between our read and our insert: theirs stands.
    const standing = (await findRedemptionByCustomer(trx, d.customerId!))!;
    d.decision = {
      outcome: 'duplicate',
      reason: duplicateReason({ channel: standing.channel, redeemedAt: standing.redeemed_at }),
    };
    d.redemptionId = standing.id;
  }
  await addFulfilIntents(trx, campaign.id, [...created.values()]);
  await addManyToSuppressionList(trx, optOuts, keyer.now);
}

async function writeChunk(
  db: Kysely<Database>,
  campaign: Campaign,
  batchId: string,
  chunk: CsvCard[],
  keyer: Keyer,
  report: CsvReport,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const batch = await lockBatch(trx, batchId);
    if (!batch) throw notFound('束');
    if (batch.closed_at) throw new AppError('conflict', BATCH_CLOSED);
    // Someone may have keyed by hand since the file was read: those positions are theirs.
    const taken = await keyedSeqs(
      trx,
      batchId,
      1,
      chunk.map((c) => c.seq),
    );
    const fresh: CsvCard[] = [];
    for (const c of chunk) {
      if (taken.has(c.seq)) report.bad(c.line, [`seq: ${c.seq} 番はすでに入力されています。`]);
      else if (c.seq > batch.physical_count)
        report.bad(c.line, [`seq: 束の実枚数（${batch.physical_count} 枚）を超えています。`]);
      else fresh.push(c);
    }
    if (fresh.length === 0) return;
    let decided: Decided[];
    if (batch.second_keying) {
      decided = fresh.map((card) => ({
        card,
        decision: { outcome: 'pending_verification', reason: null },
        customerId: null,
        redemptionId: null,
      }));
    } else {
      decided = await decideChunk(trx, campaign, fresh);
      await redeemChunk(trx, campaign, batchId, decided, keyer);
    }
    await insertEntries(
      trx,
      { batchId, campaignId: campaign.id, keying: 1, enteredBy: keyer.staffId, at: keyer.now },
      decided.map((d) => ({
        seq: d.card.seq,
        code: d.card.reading.code,
        customerId: d.customerId,
        gifts: d.card.reading.gifts,
        dataChoice: encodeDataTicks(d.card.reading.data),
        postmarkDate: d.card.reading.postmarkDate,
        outcome: d.decision.outcome,
        reason: d.decision.reason,
        redemptionId: d.redemptionId,
      })),
    );
    const outcomes: Partial<Record<PostcardOutcome, number>> = {};
    for (const d of decided) outcomes[d.decision.outcome] = (outcomes[d.decision.outcome] ?? 0) + 1;
    await recordAudit(
      trx,
      {
        staffId: keyer.staffId,
        action: 'postcard.csv_import',
        targetType: 'postcard_batch',
        targetId: batchId,
        campaignId: campaign.id,
        details: { cards: fresh.length, firstSeq: fresh[0]!.seq, lastSeq: fresh.at(-1)!.seq, outcomes },
      },
      keyer.now,
    );
    // Counted only once the chunk is written (a failed chunk leaves the report as it was).
    for (const d of decided) report.count(d.decision.outcome);
  });
}

export async function importPostcardCsv(
  db: Kysely<Database>,
  batchId: string,
  file: Buffer,
  keyer: Keyer,
  chunkSize = 2000,
): Promise<CsvImportReport> {
  const batch = await findBatch(db, batchId);
  if (!batch) throw notFound('束');
  const campaign = await loadCampaign(db, batch.campaign_id);
  assertTakesPostcards(campaign);
  if (batch.closed_at) throw new AppError('conflict', BATCH_CLOSED);
  if (currentKeying(batch, await countKeyed(db, batchId)) !== 1)
    throw new AppError(
      'conflict',
      'CSV で取り込めるのは1回目の入力だけです。この束の1回目の入力は終わっています。',
    );

  const report = new CsvReport();
  let cards: CsvCard[];
  try {
    cards = await readCards(file, batch, await keyedSeqs(db, batchId, 1), report, keyer.now);
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    const fail = new CsvReport();
    fail.fileError = `${err.line} 行目: ${err.reason}`;
    return fail.plain();
  }
  for (let i = 0; i < cards.length; i += chunkSize)
    await writeChunk(db, campaign, batchId, cards.slice(i, i + chunkSize), keyer, report);
  return report.plain();
}
