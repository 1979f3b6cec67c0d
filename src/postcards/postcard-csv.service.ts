import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { Campaign } from '../campaigns/campaign.service.js';
import { CsvFormatError } from '../platform/csv-records.js';
import type { Database, Db } from '../platform/database.js';
import { notFound } from '../platform/errors.js';
import { inParallel } from '../platform/in-parallel.js';
import { recordRedemptions } from '../redemption/redemption-record.service.js';
import {
  duplicateOf,
  holderFacts,
  postcardOrigin,
  postcardRedemption,
  rulesOf,
  type Keyer,
} from './postcard-apply.service.js';
import { findCardHolders } from './postcard-card.repo.js';
import { chunkCards } from './postcard-csv.chunks.js';
import { retryWhenRaced } from './postcard-csv.race.js';
import { CsvReport, readCards, type CsvBadRow, type CsvImportReport } from './postcard-csv.read.js';
import type { CsvCard } from './postcard-csv.schema.js';
import { countKeyed, insertEntries, keyedSeqs } from './postcard-entry.repo.js';
import { BatchClosed, CsvFirstKeyingOnly } from './postcard.errors.js';
import { CSV_REPORT } from './postcard.messages.js';
import { findBatch, shareBatch } from './postcard.repo.js';
import { decideCard, encodeDataTicks, type Decision } from './postcard.rules.js';
import { assertTakesPostcards, currentKeying, loadCampaign } from './postcard.service.js';
import type { PostcardBatchRow, PostcardOutcome } from './postcard.table.js';

export type { CsvBadRow, CsvImportReport } from './postcard-csv.read.js';

/**
 * An OCR vendor's file of keyed postcards into one batch, as its first keying. Every row is
 * validated first; bad rows are reported with their line and left out. Good rows are then decided
 * and written set-based, a chunk per transaction (each chunk with its audit entry), two chunks at
 * a time: a chunk waits mostly on the database, which has a second core. Uploading the same file
 * again is safe: positions already keyed are reported and skipped.
 */

interface Decided {
  card: CsvCard;
  decision: Decision | { outcome: 'pending_verification'; reason: null };
  customerId: string | null;
  redemptionId: string | null;
}

type Accepted = Extract<Decision, { outcome: 'accepted' }>;

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
      if (seq !== undefined) decision = { outcome: 'duplicate', reason: CSV_REPORT.sameFileAccepted(seq) };
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

/** The chunk's accepted cards recorded as redemptions in one set (recordRedemptions); losers turn duplicate. */
async function redeemChunk(trx: Db, campaign: Campaign, batchId: string, decided: Decided[], keyer: Keyer) {
  const accepted = decided.filter((d) => d.decision.outcome === 'accepted');
  const recorded = await recordRedemptions(
    trx,
    postcardOrigin(campaign, { id: batchId }, keyer),
    accepted.map((d) => postcardRedemption(campaign, d.customerId!, d.decision as Accepted, d.card.reading)),
  );
  // Each accepted card, and each later card of its customer in this file, names the redemption that
  // stands: its own, or one that got there between our read and our insert (the card is then a duplicate).
  for (const d of decided) {
    const asks = d.decision.outcome === 'accepted' || (d.decision.outcome === 'duplicate' && !d.redemptionId);
    const r = asks ? recorded.get(d.customerId!) : undefined;
    if (r?.created) d.redemptionId = r.redemptionId;
    else if (r) {
      d.decision = duplicateOf(r.standing);
      d.redemptionId = r.standing.id;
    }
  }
}

/** The chunk's cards whose positions are still free (someone may have keyed by hand since the file was read). */
async function freshCards(trx: Db, batch: PostcardBatchRow, chunk: CsvCard[]) {
  const taken = await keyedSeqs(
    trx,
    batch.id,
    1,
    chunk.map((c) => c.seq),
  );
  const fresh: CsvCard[] = [];
  const refused: CsvBadRow[] = [];
  for (const c of chunk) {
    if (taken.has(c.seq)) refused.push({ line: c.line, messages: [CSV_REPORT.seqTaken(c.seq)] });
    else if (c.seq > batch.physical_count)
      refused.push({ line: c.line, messages: [CSV_REPORT.beyondCount(batch.physical_count)] });
    else fresh.push(c);
  }
  return { fresh, refused };
}

/** A batch keyed twice waits for the second keying; otherwise each card is decided and redeemed now. */
async function decideAndRedeem(
  trx: Db,
  campaign: Campaign,
  batch: PostcardBatchRow,
  fresh: CsvCard[],
  keyer: Keyer,
): Promise<Decided[]> {
  if (batch.second_keying)
    return fresh.map((card) => ({
      card,
      decision: { outcome: 'pending_verification', reason: null },
      customerId: null,
      redemptionId: null,
    }));
  const decided = await decideChunk(trx, campaign, fresh);
  await redeemChunk(trx, campaign, batch.id, decided, keyer);
  return decided;
}

async function saveChunk(trx: Db, campaign: Campaign, batchId: string, decided: Decided[], keyer: Keyer) {
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
      details: {
        cards: decided.length,
        firstSeq: decided[0]!.card.seq,
        lastSeq: decided.at(-1)!.card.seq,
        outcomes,
      },
    },
    keyer.now,
  );
}

/** One chunk in one transaction: the batch locked, free positions decided, redeemed, saved, audited. */
async function writeChunk(
  db: Kysely<Database>,
  campaign: Campaign,
  batchId: string,
  chunk: CsvCard[],
  keyer: Keyer,
  report: CsvReport,
): Promise<void> {
  const { refused, decided } = await db.transaction().execute(async (trx) => {
    const batch = await shareBatch(trx, batchId);
    if (!batch) throw notFound('束');
    if (batch.closed_at) throw BatchClosed();
    const { fresh, refused } = await freshCards(trx, batch, chunk);
    if (fresh.length === 0) return { refused, decided: [] };
    const decided = await decideAndRedeem(trx, campaign, batch, fresh, keyer);
    await saveChunk(trx, campaign, batchId, decided, keyer);
    return { refused, decided };
  });
  // Reported only once the chunk is committed: a failed or retried chunk leaves the report as it was.
  for (const row of refused) report.bad(row.line, row.messages);
  for (const d of decided) report.count(d.decision.outcome);
}

/** Chunks written side by side: more would only queue on the two cores. */
const CHUNKS_AT_ONCE = 2;

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
  if (batch.closed_at) throw BatchClosed();
  if (currentKeying(batch, await countKeyed(db, batchId)) !== 1) throw CsvFirstKeyingOnly();

  const report = new CsvReport();
  let cards: CsvCard[];
  try {
    cards = await readCards(file, batch, await keyedSeqs(db, batchId, 1), report, keyer.now);
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    const fail = new CsvReport();
    fail.fileError = CSV_REPORT.fileError(err.line, err.reason);
    return fail.plain();
  }
  await inParallel(chunkCards(cards, chunkSize), CHUNKS_AT_ONCE, (chunk) =>
    retryWhenRaced(() => writeChunk(db, campaign, batchId, chunk, keyer, report)),
  );
  return report.plain();
}
