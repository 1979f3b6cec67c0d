import type { Writable } from 'node:stream';
import type pg from 'pg';
import { withPoolTransaction } from '../platform/pg-transaction.js';
import { toCopyLine, toLetterLine, type PreparedRow } from './import.encoding.js';
import { confirmImportLease, type ImportLease } from './import.lease.js';
import {
  clearStaging,
  copyIntoStaging,
  createStagingTable,
  explainNotInserted,
  insertFromStaging,
} from './import.repo.js';
import type { ReportBuilder } from './import.report.js';
import { IMPORT_TEXT } from './imports.messages.js';
import { insertImportedTokens } from '../letters/letter-token.repo.js';

/** Rounds of fresh registration codes before giving up (a collision is ~2^-54 per row and round). */
const MAX_CODE_ROUNDS = 8;
const LINES_PER_COPY_CHUNK = 256;

function* copyChunks(rows: PreparedRow[]): Generator<string> {
  for (let i = 0; i < rows.length; i += LINES_PER_COPY_CHUNK) {
    let chunk = '';
    for (const row of rows.slice(i, i + LINES_PER_COPY_CHUNK)) chunk += toCopyLine(row);
    yield chunk;
  }
}

/** Resolves once the chunk has been handed to the underlying file (so write errors surface here). */
function writeChunk(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

export interface BatchContext {
  /** Each batch takes a connection for its transaction and gives it back. */
  pool: pg.Pool;
  /** The campaign's import lease, confirmed by every batch before its commit. */
  lease: ImportLease;
  campaignId: string;
  /** The sequence behind customers.id (the staging table's ids). */
  customerIdSequence: string;
  /** Customers of the campaign with a higher id were added by this run. */
  maxIdBeforeRun: bigint;
  letters: Writable;
  report: ReportBuilder;
  /** Bytes of the letter file that belong to committed customers (header included). */
  committedLetterBytes: number;
  /** Set when a COMMIT failed: its batch may or may not be in the database. */
  commitUncertain: boolean;
  /** Draws a registration code for the batched path (the bulk path draws its own: import.bulk-rows.ts). */
  drawCode: () => string;
}

/** What a batch did, applied to the report once its transaction is committed. */
interface BatchOutcome {
  imported: number;
  already: number;
  /** Lines repeating an earlier line's customer reference in this run. */
  repeated: number[];
  /** Lines of a person already present, with that person's registration code. */
  samePerson: [number, string][];
  /** The rows inserted, whose letters are written before the commit. */
  letters: PreparedRow[];
}

/**
 * Writes one batch in one transaction: stage (in a temporary table dropped at the commit), insert
 * what is new, explain what is not, retry code collisions with fresh codes, write the letters,
 * confirm the lease, commit. Letters are written before the commit: if the commit failed, the run
 * fails and says so; a customer whose key was never printed cannot happen silently.
 */
export async function writeBatch(ctx: BatchContext, rows: PreparedRow[]): Promise<void> {
  const { outcome, letterBytes } = await withPoolTransaction(
    ctx.pool,
    async (client) => {
      await createStagingTable(client, ctx.customerIdSequence);
      const outcome = await insertRows(ctx, client, rows);
      // Each letter's verification token (its hash), committed with its customer.
      await insertImportedTokens(
        client,
        ctx.campaignId,
        outcome.letters.map((r) => ({ registrationCode: r.registrationCode, hashHex: r.letterTokenHashHex })),
      );
      const letterBytes = await writeLetters(ctx.letters, outcome.letters);
      await confirmImportLease(client, ctx.lease);
      return { outcome, letterBytes };
    },
    {
      onCommitFailed: () => {
        ctx.commitUncertain = true;
      },
    },
  );
  ctx.committedLetterBytes += letterBytes;
  reportOutcome(ctx.report, outcome);
}

/** Inserts the rows, retrying registration-code collisions with fresh codes. */
async function insertRows(
  ctx: BatchContext,
  client: pg.PoolClient,
  rows: PreparedRow[],
): Promise<BatchOutcome> {
  const { campaignId } = ctx;
  const outcome: BatchOutcome = { imported: 0, already: 0, repeated: [], samePerson: [], letters: [] };
  let round = rows;
  for (let attempt = 0; round.length > 0; attempt++) {
    if (attempt >= MAX_CODE_ROUNDS) throw new Error('registration codes kept colliding; import aborted');
    if (attempt > 0) await clearStaging(client);
    await copyIntoStaging(client, copyChunks(round));
    const inserted = new Set(await insertFromStaging(client, campaignId));
    const notInserted = new Map<number, PreparedRow>();
    for (const row of round) {
      if (inserted.has(row.line)) outcome.letters.push(row);
      else notInserted.set(row.line, row);
    }
    outcome.imported += inserted.size;
    if (notInserted.size === 0) break;
    round = await sortOutNotInserted(ctx, client, notInserted, outcome);
  }
  outcome.letters.sort((a, b) => a.line - b.line);
  return outcome;
}

/** Records why each row was not inserted; returns the code collisions, with fresh codes, to retry. */
async function sortOutNotInserted(
  ctx: BatchContext,
  client: pg.PoolClient,
  byLine: Map<number, PreparedRow>,
  outcome: BatchOutcome,
): Promise<PreparedRow[]> {
  const retry: PreparedRow[] = [];
  for (const r of await explainNotInserted(client, ctx.campaignId, [...byLine.keys()])) {
    if (r.refCustomerId !== null) {
      if (BigInt(r.refCustomerId) > ctx.maxIdBeforeRun) outcome.repeated.push(r.line);
      else outcome.already++;
    } else if (r.samePersonCode !== null) {
      outcome.samePerson.push([r.line, r.samePersonCode]);
    } else {
      retry.push({ ...byLine.get(r.line)!, registrationCode: ctx.drawCode() });
    }
  }
  return retry.sort((a, b) => a.line - b.line);
}

/** Writes the letters in chunks of about 64 kB; returns the bytes written. */
async function writeLetters(out: Writable, letters: PreparedRow[]): Promise<number> {
  let bytes = 0;
  let chunk = '';
  for (const row of letters) {
    chunk += toLetterLine(row);
    if (chunk.length >= 65536) {
      await writeChunk(out, chunk);
      bytes += Buffer.byteLength(chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await writeChunk(out, chunk);
  return bytes + Buffer.byteLength(chunk);
}

function reportOutcome(report: ReportBuilder, outcome: BatchOutcome): void {
  report.report.imported += outcome.imported;
  report.report.alreadyImported += outcome.already;
  for (const line of outcome.repeated) {
    report.badRow(line, [{ column: 'customer_ref', message: IMPORT_TEXT.refRepeated }]);
  }
  for (const [line, code] of outcome.samePerson) report.likelyDuplicate(line, code);
}
