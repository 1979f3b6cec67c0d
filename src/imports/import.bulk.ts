import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { sharedPostalTable } from '../customers/address-lookup.js';
import { csvBlocks, type CsvBlock } from '../platform/csv-blocks.js';
import { CsvFormatError, decodeCsvBlock, parseCsvBlock } from '../platform/csv-records.js';
import { withPoolTransaction } from '../platform/pg-transaction.js';
import { retryOnLockConflict } from '../platform/pg-retry.js';
import type { BatchContext } from './import.batch.js';
import { BulkRepeats } from './import.bulk-repeats.js';
import { writeBulkLetters, type LetterLink } from './import.bulk-letters.js';
import {
  CUSTOMER_LOAD_COLUMNS,
  PERSONAL_LOAD_COLUMNS,
  TOKEN_LOAD_COLUMNS,
  type BulkBlockOut,
} from './import.bulk-rows.js';
import { allOrFirstFailure, phaseTimer } from './import.bulk-steps.js';
import { BulkThreads } from './import.bulk-threads.js';
import * as repo from './import.bulk.repo.js';
import { newRunSecret, type RunSecret } from './import.derive.js';
import { confirmImportLease } from './import.lease.js';
import { readHeader, type HeaderIndex } from './import.rows.js';
import { IMPORT_TEXT } from './imports.messages.js';

/**
 * The import of a campaign that has no customers yet, at bulk speed: worker threads check the rows
 * and hash the keys, three COPY streams fill plain tables, indexes are built once the rows are in,
 * repeats are taken out on the full values, the letters are written from what is kept, and the
 * tables replace the campaign's empty partitions in one last transaction (with the lease check).
 * Nothing is visible before that commit; a failure drops the load tables. Memory stays at a few
 * blocks plus 28 bytes a row (fingerprints and lines).
 */
const BLOCK_RECORDS = 4_000;
const BLOCKS_IN_FLIGHT = 4;
/** Connections the bulk import holds at once (three COPY streams and the id sequence). */
export const BULK_CONNECTIONS = 4;

export interface BulkInput {
  input: AsyncIterable<Buffer | string>;
  leakedItemKeys: string[];
  pepper: string;
  letterLink: LetterLink;
  onProgress?: (p: { rowsRead: number; imported: number }) => void;
  onPhase?: (phase: string, ms: number) => void;
}

export async function importIntoEmptyCampaign(ctx: BatchContext, input: BulkInput): Promise<void> {
  const secret = newRunSecret();
  await repo.beginLoad(ctx.pool, ctx.campaignId);
  let attached = false;
  const threads: { started?: BulkThreads } = {};
  const phase = phaseTimer(input.onPhase);
  try {
    const repeats = await phase('load', loadRows(ctx, input, secret, threads));
    const imported = await phase('repeats', settleRepeats(ctx, repeats));
    // The indexes are PostgreSQL's work, the letters the threads': on two cores they overlap.
    const [, letterBytes] = await allOrFirstFailure(
      phase(
        'index',
        Promise.all(repo.LOAD_PARTS.map((part) => repo.indexLoad(ctx.pool, ctx.campaignId, part))),
      ),
      phase('letters', writeLetters(ctx, threads.started!)),
    );
    await phase('attach', attachLoad(ctx));
    attached = true;
    ctx.committedLetterBytes += letterBytes;
    ctx.report.report.imported += imported;
  } finally {
    await threads.started?.close();
    if (!attached && !ctx.commitUncertain)
      await repo.discardLoad(ctx.pool, ctx.campaignId).catch(() => undefined);
  }
}

/**
 * Reads, checks and COPYs every row; returns what repeated. The threads it starts (in `threads`)
 * stay for the letters.
 */
async function loadRows(
  ctx: BatchContext,
  input: BulkInput,
  secret: RunSecret,
  threads: { started?: BulkThreads },
): Promise<BulkRepeats> {
  const blocks = csvBlocks(input.input, BLOCK_RECORDS);
  const header = await readFirstHeader(blocks);
  const clients = await Promise.all(repo.LOAD_PARTS.map(() => ctx.pool.connect()));
  threads.started = new BulkThreads(
    {
      campaignId: ctx.campaignId,
      leakedItemKeys: input.leakedItemKeys,
      header,
      pepper: input.pepper,
      secret,
      issuedAt: new Date().toISOString(),
      letterLink: input.letterLink,
      postalTable: sharedPostalTable(),
    },
    Math.max(1, Math.min(2, availableParallelism())),
  );
  const streams = repo.LOAD_PARTS.map((part, i) =>
    repo.openLoadStream(clients[i]!, ctx.campaignId, part, LOAD_COLUMNS[part]),
  );
  const done = streams.map((s) => finished(s));
  done.forEach((p) => p.catch(() => undefined));
  let failed = false;
  try {
    const repeats = new BulkRepeats();
    const sink = async (out: BulkBlockOut) => {
      noteBlock(ctx, repeats, out);
      await Promise.all([
        send(streams[0]!, out.customers),
        send(streams[1]!, out.personal),
        send(streams[2]!, out.tokens),
      ]);
      input.onProgress?.({ rowsRead: ctx.report.report.rowsRead, imported: ctx.report.report.imported });
    };
    await pumpBlocks(ctx, blocks, threads.started, sink);
    for (const s of streams) s.end();
    await Promise.all(done);
    return repeats;
  } catch (err) {
    // An open COPY would hold its table (and its connection) until the server gave up on it.
    failed = true;
    for (const s of streams) s.destroy(err instanceof Error ? err : new Error(String(err)));
    await Promise.allSettled(done);
    throw err;
  } finally {
    for (const c of clients) c.release(failed);
  }
}

const LOAD_COLUMNS: Record<repo.LoadPart, string> = {
  customers: CUSTOMER_LOAD_COLUMNS,
  customer_personal: PERSONAL_LOAD_COLUMNS,
  letter_tokens: TOKEN_LOAD_COLUMNS,
};

/** The header: the first block holds the first record alone (csvBlocks). */
async function readFirstHeader(blocks: AsyncGenerator<CsvBlock>): Promise<HeaderIndex> {
  const first = await blocks.next();
  const records = first.done ? [] : parseCsvBlock(decodeCsvBlock(first.value.bytes, 1), 1);
  if (records.length === 0) throw new CsvFormatError(1, IMPORT_TEXT.noHeader);
  return readHeader(records[0]!);
}

/**
 * Sends blocks of records to the threads (ids drawn first), a few at a time, and hands each result to
 * the sink in the file's order. A file of one block is worked out here, without threads.
 */
async function pumpBlocks(
  ctx: BatchContext,
  blocks: AsyncGenerator<CsvBlock>,
  threads: BulkThreads,
  sink: (out: BulkBlockOut) => Promise<void>,
): Promise<void> {
  const inFlight: Promise<BulkBlockOut>[] = [];
  const dispatch = async (block: CsvBlock, last: boolean) => {
    const ids = await repo.nextCustomerIds(ctx.pool, ctx.customerIdSequence, block.maxRecords);
    const input = { bytes: block.bytes, firstLine: block.firstLine, ids };
    // Every block before the last went to the threads (which started with the first of them).
    inFlight.push(last && threads.started === 0 ? threads.runHere(input) : threads.run(input));
    inFlight.at(-1)!.catch(() => undefined); // awaited in order below
    if (inFlight.length >= BLOCKS_IN_FLIGHT) await sink(await inFlight.shift()!);
  };
  // One block held back: whether a block is the file's last is known when the next one comes.
  let held: CsvBlock | undefined;
  for await (const block of blocks) {
    if (held) await dispatch(held, false);
    held = block;
  }
  if (held) await dispatch(held, true);
  while (inFlight.length > 0) await sink(await inFlight.shift()!);
}

function noteBlock(ctx: BatchContext, repeats: BulkRepeats, out: BulkBlockOut): void {
  ctx.report.report.rowsRead += out.records;
  for (const b of out.bad) ctx.report.badRow(b.line, b.issues);
  for (const w of out.warnings) ctx.report.addressWarning(w.line, w.column, w.message);
  repeats.note(out);
}

/** Writes COPY text to a COPY stream, waiting when it is full. */
async function send(stream: Writable, bytes: Uint8Array): Promise<void> {
  if (bytes.length > 0 && !stream.write(bytes)) await once(stream, 'drain');
}

/**
 * Fresh codes for the codes drawn twice; the repeats of a customer reference (a bad row, as in the
 * batched import) and of a person (a likely duplicate) taken out. Returns the customers kept.
 */
async function settleRepeats(ctx: BatchContext, repeats: BulkRepeats): Promise<number> {
  for (const r of repeats.recoded) await repo.recodeLoaded(ctx.pool, ctx.campaignId, r.id, r.code);
  const byRef = await repo.repeatedRefs(ctx.pool, ctx.campaignId, repeats.refCandidates);
  const byPerson = await repo.repeatedPersons(ctx.pool, ctx.campaignId, repeats.personCandidates, byRef);
  await repo.dropLoaded(ctx.pool, ctx.campaignId, [...byRef, ...byPerson.map((p) => p.id)]);
  for (const id of byRef) {
    ctx.report.badRow(repeats.lineOf(id), [{ column: 'customer_ref', message: IMPORT_TEXT.refRepeated }]);
  }
  for (const p of byPerson) ctx.report.likelyDuplicate(repeats.lineOf(p.id), p.code);
  return repeats.rows - byRef.length - byPerson.length;
}

/**
 * The letters, before the attach (as in the batched import, a committed customer always has a
 * printed key; if the attach fails, the letters after the header are of customers never added).
 */
async function writeLetters(ctx: BatchContext, threads: BulkThreads) {
  const client = await ctx.pool.connect();
  try {
    const bytes = await writeBulkLetters(
      repo.letterRowsOfLoad(client, ctx.campaignId),
      ctx.letters,
      (block) => threads.letters(block),
    );
    client.release();
    return bytes;
  } catch (err) {
    // The letters' COPY may still be streaming on this connection: it must not go back to the pool.
    client.release(err instanceof Error ? err : true);
    throw err;
  }
}

/**
 * The partitions the campaign may have left empty cleared, then the attach and the lease check in
 * one transaction. Both take locks on the shared parents and are retried when they lose to a
 * deadlock or wait past their lock timeout.
 */
async function attachLoad(ctx: BatchContext): Promise<void> {
  await retryOnLockConflict(() => repo.clearEmptyPartitions(ctx.pool, ctx.campaignId));
  await retryOnLockConflict(() =>
    withPoolTransaction(
      ctx.pool,
      async (c) => {
        await repo.attachLoad(c, ctx.campaignId);
        await confirmImportLease(c, ctx.lease);
      },
      { onCommitFailed: () => (ctx.commitUncertain = true) },
    ),
  );
}

export const bulkImportPossible = (pool: pg.Pool) => (pool.options.max ?? 10) >= BULK_CONNECTIONS;
