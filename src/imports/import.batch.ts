import type { Writable } from 'node:stream';
import type pg from 'pg';
import { generateRegistrationCode } from '../customers/codes.js';
import { toCopyLine, toLetterLine, type PreparedRow } from './import.encoding.js';
import { clearStaging, copyIntoStaging, explainNotInserted, insertFromStaging } from './import.repo.js';
import type { ReportBuilder } from './import.report.js';

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
  client: pg.PoolClient;
  campaignId: string;
  /** Customers of the campaign with a higher id were added by this run. */
  maxIdBeforeRun: bigint;
  letters: Writable;
  report: ReportBuilder;
  /** Bytes of the letter file that belong to committed customers (header included). */
  committedLetterBytes: number;
  /** Set when a COMMIT failed: its batch may or may not be in the database. */
  commitUncertain: boolean;
}

/**
 * Writes one batch in one transaction: stage, insert what is new, explain what is not, retry code
 * collisions with fresh codes, write the letters, commit. Letters are written before the commit:
 * if the commit failed, the run fails and says so; a customer whose key was never printed cannot
 * happen silently.
 */
export async function writeBatch(ctx: BatchContext, rows: PreparedRow[]): Promise<void> {
  const { client, campaignId, report } = ctx;
  const letters: PreparedRow[] = [];
  let letterBytes = 0;
  const outcome = { imported: 0, already: 0, bad: [] as number[], dup: [] as [number, string][] };
  await client.query('begin');
  try {
    let round = rows;
    for (let attempt = 0; round.length > 0; attempt++) {
      if (attempt >= MAX_CODE_ROUNDS) throw new Error('registration codes kept colliding; import aborted');
      if (attempt > 0) await clearStaging(client);
      await copyIntoStaging(client, copyChunks(round));
      const inserted = new Set(await insertFromStaging(client, campaignId));
      const byLine = new Map<number, PreparedRow>();
      for (const row of round) {
        if (inserted.has(row.line)) letters.push(row);
        else byLine.set(row.line, row);
      }
      outcome.imported += inserted.size;
      if (byLine.size === 0) break;
      const retry: PreparedRow[] = [];
      for (const r of await explainNotInserted(client, campaignId, [...byLine.keys()])) {
        if (r.refCustomerId !== null) {
          if (BigInt(r.refCustomerId) > ctx.maxIdBeforeRun) outcome.bad.push(r.line);
          else outcome.already++;
        } else if (r.samePersonCode !== null) {
          outcome.dup.push([r.line, r.samePersonCode]);
        } else {
          const row = byLine.get(r.line)!;
          retry.push({ ...row, registrationCode: generateRegistrationCode() });
        }
      }
      round = retry.sort((a, b) => a.line - b.line);
    }
    letters.sort((a, b) => a.line - b.line);
    let chunk = '';
    for (const row of letters) {
      chunk += toLetterLine(row);
      if (chunk.length >= 65536) {
        await writeChunk(ctx.letters, chunk);
        letterBytes += Buffer.byteLength(chunk);
        chunk = '';
      }
    }
    if (chunk !== '') await writeChunk(ctx.letters, chunk);
    letterBytes += Buffer.byteLength(chunk);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
  try {
    await client.query('commit');
  } catch (err) {
    ctx.commitUncertain = true;
    throw err;
  }
  ctx.committedLetterBytes += letterBytes;
  report.report.imported += outcome.imported;
  report.report.alreadyImported += outcome.already;
  for (const line of outcome.bad) {
    report.badRow(line, [
      { column: 'customer_ref', message: '同じ顧客番号がこのファイルの前の行にもあります' },
    ]);
  }
  for (const [line, code] of outcome.dup) report.likelyDuplicate(line, code);
}
