import type { Readable, Writable } from 'node:stream';
import type pg from 'pg';
import { generateLoginKey, generateRegistrationCode } from '../customers/codes.js';
import { csvRecords, CsvFormatError } from '../platform/csv-records.js';
import {
  customerRowSchema,
  personDigestInput,
  sourceRefInput,
  type CustomerRow,
} from './customer-csv.schema.js';
import { readHeader, validateRow, type HeaderIndex } from './import.rows.js';
import type { BatchContext } from './import.batch.js';
import { BatchQueue } from './import.batch-queue.js';
import { bulkImportPossible, importIntoEmptyCampaign } from './import.bulk.js';
import type { LetterLink } from './import.bulk-letters.js';
import {
  keyedHexHasher,
  LETTER_HEADER,
  toCopyTail,
  toLetterTail,
  type PreparedRow,
} from './import.encoding.js';
import { ImportAbortedError, ReportBuilder, type ImportReport } from './import.report.js';
import { withImportLease, type ImportLease } from './import.lease.js';
import { campaignSlug, customerIdSequence, ensureCampaignPartitions, maxCustomerId } from './import.repo.js';
import { IMPORT_TEXT } from './imports.messages.js';
import { DEFAULT_PUBLIC_BASE_URL } from '../platform/config.js';
import { lostLetterDigestInput, normaliseLostLetterKeys } from '../customers/lost-letter.js';
import { letterTokenHashInput, letterUrl, newLetterToken } from '../letters/letter-token.js';

export type { BadRow, ImportReport, LikelyDuplicate } from './import.report.js';
export { ImportAbortedError } from './import.report.js';
export { CsvFormatError } from '../platform/csv-records.js';

/** The import's connection and keys; the letters' QR codes point at publicBaseUrl (default: a dev address). */
export interface ImportDeps {
  pool: pg.Pool;
  pepper: string;
  publicBaseUrl?: string;
}

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
  /** Each step of a bulk import as it ends, with its wall time: how the benchmark shows its phases. */
  onPhase?: (phase: string, ms: number) => void;
  /** Draws the batched path's registration codes (default: at random); a test forces a collision with it. */
  drawRegistrationCode?: () => string;
  /**
   * The campaign's import lease when the caller holds it already (an import run). Without it the
   * import takes it, refusing with ImportAlreadyRunning while another import of the campaign runs.
   */
  lease?: ImportLease;
}

/**
 * Imports notified customers from a CSV stream into a campaign and writes their letters. Bad rows,
 * rows already imported and likely duplicate people are reported, never imported. Memory stays at
 * about two batches: one being written to PostgreSQL while the next is parsed.
 */
export async function importCustomers(deps: ImportDeps, opts: ImportOptions): Promise<ImportReport> {
  // Write errors reach us through the write callbacks; without a listener the stream's 'error'
  // event would also crash the process.
  opts.letters.on('error', () => undefined);
  const held = opts.lease;
  if (!held) {
    return withImportLease(deps.pool, opts.campaignId, 'refuse', (lease) =>
      importWithLease(deps, opts, lease),
    );
  }
  if (held.campaignId !== opts.campaignId) throw new Error("the lease given is another campaign's");
  return importWithLease(deps, opts, held);
}

/** The import itself, the campaign's lease held. */
async function importWithLease(
  deps: ImportDeps,
  opts: ImportOptions,
  lease: ImportLease,
): Promise<ImportReport> {
  const startedAt = performance.now();
  const report = new ReportBuilder();
  let ctx: BatchContext | undefined;
  try {
    ctx = await startImport(deps.pool, lease, opts, report);
    const letterLink = await letterLinkOf(deps, opts.campaignId);
    if (ctx.maxIdBeforeRun === 0n && bulkImportPossible(deps.pool)) {
      await importIntoEmptyCampaign(ctx, {
        input: opts.input as AsyncIterable<Buffer | string>,
        leakedItemKeys: opts.leakedItemKeys,
        pepper: deps.pepper,
        letterLink,
        onProgress: opts.onProgress,
        onPhase: opts.onPhase,
      });
    } else {
      await ensureCampaignPartitions(deps.pool, opts.campaignId);
      await importRows(ctx, opts, deps.pepper, (token) =>
        letterUrl(letterLink.baseUrl, letterLink.slug, token),
      );
    }
    return report.finish(startedAt);
  } catch (err) {
    // Before any letter was written (header) the plain error says it all.
    if (!ctx) throw err;
    throw new ImportAbortedError(
      report.finish(startedAt),
      ctx.committedLetterBytes,
      ctx.commitUncertain,
      err,
    );
  }
}

/** Notes where the campaign's customers stand before this run, and writes the letters' header. */
async function startImport(
  pool: pg.Pool,
  lease: ImportLease,
  opts: ImportOptions,
  report: ReportBuilder,
): Promise<BatchContext> {
  const maxIdBeforeRun = await maxCustomerId(pool, opts.campaignId);
  const sequence = await customerIdSequence(pool);
  await new Promise<void>((resolve, reject) =>
    opts.letters.write(LETTER_HEADER, (e) => (e ? reject(e) : resolve())),
  );
  return {
    pool,
    lease,
    campaignId: opts.campaignId,
    customerIdSequence: sequence,
    maxIdBeforeRun,
    letters: opts.letters,
    report,
    committedLetterBytes: Buffer.byteLength(LETTER_HEADER),
    commitUncertain: false,
    drawCode: opts.drawRegistrationCode ?? generateRegistrationCode,
  };
}

/** Reads the CSV and writes it batch by batch, the next batch read while the last one is written. */
async function importRows(
  ctx: BatchContext,
  opts: ImportOptions,
  pepper: string,
  urlOf: (token: string) => string,
): Promise<void> {
  const batches = new BatchQueue(ctx, opts.batchSize ?? 10_000, opts.onProgress);
  const schema = customerRowSchema(opts.leakedItemKeys);
  const prepare = rowPreparer(keyedHexHasher(pepper), urlOf, ctx.drawCode);
  const { report } = ctx;
  let header: HeaderIndex | undefined;
  try {
    for await (const records of csvRecords(opts.input as AsyncIterable<Buffer | string>)) {
      for (const rec of records) {
        if (!header) {
          header = readHeader(rec);
          continue;
        }
        report.report.rowsRead++;
        const row = validateRow(rec, header, schema, report);
        if (row) await batches.add(prepare(rec.line, row, batches.codes));
      }
    }
    if (!header) throw new CsvFormatError(1, IMPORT_TEXT.noHeader);
    await batches.flush();
    await batches.written();
  } finally {
    await batches.settled();
  }
}

/** A validated row with its fresh registration code (unique in the batch), login key and hashes. */
function rowPreparer(
  hash: (value: string) => string,
  urlOf: (token: string) => string,
  drawCode: () => string,
) {
  return (line: number, data: CustomerRow, codesInBatch: Set<string>): PreparedRow => {
    let registrationCode = drawCode();
    while (codesInBatch.has(registrationCode)) registrationCode = drawCode();
    codesInBatch.add(registrationCode);
    const loginKey = generateLoginKey();
    const keys = normaliseLostLetterKeys({
      kanaName: data.full_name_kana,
      birthDate: data.birth_date,
      postalCode: data.postal_code,
    });
    const secrets = {
      loginKey,
      loginKeyHashHex: hash(loginKey),
      sourceRefHashHex: hash(sourceRefInput(data.customer_ref)),
      personDigestHex: hash(personDigestInput(data)),
      lostLetterDigestHex: keys ? hash(lostLetterDigestInput(keys)) : null,
    };
    const token = newLetterToken();
    return {
      line,
      registrationCode,
      copyTail: toCopyTail(data, secrets),
      letterTail: toLetterTail(data, loginKey, urlOf(token)),
      letterTokenHashHex: hash(letterTokenHashInput(token)),
    };
  };
}

/** Where the campaign's letters point: letterUrl makes a token's verification address of it. */
async function letterLinkOf(deps: ImportDeps, campaignId: string): Promise<LetterLink> {
  const slug = (await campaignSlug(deps.pool, campaignId)) ?? '';
  return { baseUrl: deps.publicBaseUrl ?? DEFAULT_PUBLIC_BASE_URL, slug };
}
