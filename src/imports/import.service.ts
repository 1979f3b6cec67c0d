import type { Readable, Writable } from 'node:stream';
import type pg from 'pg';
import { generateLoginKey, generateRegistrationCode } from '../customers/codes.js';
import { AppError } from '../platform/errors.js';
import { csvRecords, CsvFormatError } from '../platform/csv-records.js';
import {
  customerRowSchema,
  personDigestInput,
  sourceRefInput,
  type CustomerRowSchema,
} from './customer-csv.schema.js';
import { readHeader, validateRow, type HeaderIndex } from './import.rows.js';
import { writeBatch, type BatchContext } from './import.batch.js';
import {
  keyedHexHasher,
  LETTER_HEADER,
  toCopyTail,
  toLetterTail,
  type PreparedRow,
} from './import.encoding.js';
import { ImportAbortedError, ReportBuilder, type ImportReport } from './import.report.js';
import { createStagingTable, maxCustomerId, tryLockCampaignImport } from './import.repo.js';

export type { BadRow, ImportReport, LikelyDuplicate } from './import.report.js';
export { ImportAbortedError } from './import.report.js';
export { CsvFormatError } from '../platform/csv-records.js';

export interface ImportOptions {
  campaignId: string;
  /** Keys of the campaign's def.leakedItems: leaked_items may only name these. */
  leakedItemKeys: string[];
  input: NodeJS.ReadableStream | Readable;
  /**
   * The letter print file: the header, then each batch's letters before its commit. The caller
   * ends the stream. A no-op 'error' listener is added: write errors surface as rejections here.
   */
  letters: Writable;
  batchSize?: number;
  onProgress?: (p: { rowsRead: number; imported: number }) => void;
}

/**
 * Imports notified customers from a CSV stream into a campaign and writes their letters. Bad rows,
 * rows already imported and likely duplicate people are reported, never imported. Memory stays at
 * about two batches: one being written to PostgreSQL while the next is parsed.
 */
export async function importCustomers(
  deps: { pool: pg.Pool; pepper: string },
  opts: ImportOptions,
): Promise<ImportReport> {
  const startedAt = performance.now();
  const batchSize = opts.batchSize ?? 10_000;
  const schema: CustomerRowSchema = customerRowSchema(opts.leakedItemKeys);
  const hash = keyedHexHasher(deps.pepper);
  const report = new ReportBuilder();
  // Write errors reach us through the write callbacks; without a listener the stream's 'error'
  // event would also crash the process.
  opts.letters.on('error', () => undefined);
  const client = await deps.pool.connect();
  // Resolves when the previous batch is in; a rejection is kept and re-thrown at the next await.
  let pending: Promise<void> = Promise.resolve();
  let ctx: BatchContext | undefined;
  try {
    if (!(await tryLockCampaignImport(client, opts.campaignId))) {
      throw new AppError('conflict', 'このキャンペーンの取り込みが別に実行中です。');
    }
    await createStagingTable(client);
    const batchCtx: BatchContext = {
      client,
      campaignId: opts.campaignId,
      maxIdBeforeRun: await maxCustomerId(client, opts.campaignId),
      letters: opts.letters,
      report,
      committedLetterBytes: 0,
      commitUncertain: false,
    };
    await new Promise<void>((resolve, reject) =>
      opts.letters.write(LETTER_HEADER, (e) => (e ? reject(e) : resolve())),
    );
    batchCtx.committedLetterBytes = Buffer.byteLength(LETTER_HEADER);
    ctx = batchCtx;

    let header: HeaderIndex | undefined;
    let batch: PreparedRow[] = [];
    let codesInBatch = new Set<string>();
    const flush = async () => {
      await pending;
      const rows = batch;
      batch = [];
      codesInBatch = new Set();
      pending = writeBatch(batchCtx, rows).then(() =>
        opts.onProgress?.({ rowsRead: report.report.rowsRead, imported: report.report.imported }),
      );
      pending.catch(() => undefined); // handled at the next await
    };

    for await (const records of csvRecords(opts.input as AsyncIterable<Buffer | string>)) {
      for (const rec of records) {
        if (!header) {
          header = readHeader(rec);
          continue;
        }
        report.report.rowsRead++;
        const row = validateRow(rec, header, schema, report);
        if (!row) continue;
        let registrationCode = generateRegistrationCode();
        while (codesInBatch.has(registrationCode)) registrationCode = generateRegistrationCode();
        codesInBatch.add(registrationCode);
        const loginKey = generateLoginKey();
        const secrets = {
          loginKey,
          loginKeyHashHex: hash(loginKey),
          sourceRefHashHex: hash(sourceRefInput(row.customer_ref)),
          personDigestHex: hash(personDigestInput(row)),
        };
        batch.push({
          line: rec.line,
          registrationCode,
          copyTail: toCopyTail(row, secrets),
          letterTail: toLetterTail(row, loginKey),
        });
        if (batch.length >= batchSize) await flush();
      }
    }
    if (!header) throw new CsvFormatError(1, '見出し行がありません（空のファイルです）');
    if (batch.length > 0) await flush();
    await pending;
    return report.finish(startedAt);
  } catch (err) {
    await pending.catch(() => undefined);
    // Before any letter was written (lock, header) the plain error says it all.
    if (!ctx) throw err;
    throw new ImportAbortedError(
      report.finish(startedAt),
      ctx.committedLetterBytes,
      ctx.commitUncertain,
      err,
    );
  } finally {
    await pending.catch(() => undefined);
    // The advisory lock and the staging table go with DISCARD ALL; a broken session is destroyed.
    await client.query('discard all').then(
      () => client.release(),
      (err: Error) => client.release(err),
    );
  }
}
