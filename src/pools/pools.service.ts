import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../platform/database.js';
import type { AppDeps } from '../platform/deps.js';
import type { CampaignRow } from '../campaigns/campaign.table.js';
import { csvRecords, CsvFormatError } from '../platform/csv-records.js';
import {
  isRowError,
  parsePoolRow,
  readPoolHeader,
  type PoolHeader,
  type PoolRow,
  type PoolRowError,
} from './pools.csv.js';
import {
  countDuplicatesInFile,
  createPoolStaging,
  duplicatesInDb,
  duplicatesInFile,
  insertStagedCodes,
  lockPoolUploads,
  stageRows,
} from './pools.repo.js';
import { CodesTakenMeanwhile, NoCodeFile, PoolUploadRefused } from './pools.errors.js';
import { POOL_ROW_TEXT, POOL_TEXT } from './pools.messages.js';
import { checkPoolStock } from './pools.stock.js';

/** E-money code pools: uploads of pre-purchased codes (stock and the low-stock alert: pools.stock). */

export interface PoolUploadResult {
  accepted: boolean;
  rowsRead: number;
  /** Codes added per brand (empty when refused). */
  inserted: Record<string, number>;
  /** At most MAX_LISTED_ERRORS, by line. */
  errors: PoolRowError[];
  errorCount: number;
}

export const MAX_LISTED_ERRORS = 200;
const STAGE_BATCH = 5_000;

/** Why a campaign takes no pool upload, or null when it does. */
export function poolUploadRefusal(campaign: Pick<CampaignRow, 'state' | 'definition'>): string | null {
  const emoney = campaign.definition.options.emoney;
  if (campaign.state === 'purged') return POOL_TEXT.purgedCampaign;
  if (!emoney) return POOL_TEXT.noEmoney;
  if (emoney.source !== 'pool') return POOL_TEXT.issuedByVendor;
  return null;
}

type UploadDeps = Pick<AppDeps, 'db' | 'now' | 'logger'>;

/** An uploaded code file (refused when the campaign takes no codes, or when there is no file). */
export async function uploadPoolFile(
  deps: UploadDeps,
  input: { campaign: CampaignRow; staffId: string; upload: { path: string; size: number } | undefined },
): Promise<PoolUploadResult> {
  const refusal = poolUploadRefusal(input.campaign);
  if (refusal) throw PoolUploadRefused(refusal);
  if (!input.upload || input.upload.size === 0) throw NoCodeFile();
  const file = createReadStream(input.upload.path);
  return uploadPoolCodes(deps, { campaign: input.campaign, staffId: input.staffId, file });
}

/**
 * All or nothing: every line is checked (header, brand of the campaign, code format, duplicates in
 * the file and against stored codes) and one bad line refuses the whole file, so the corrected file
 * can simply be uploaded again. Accepted codes and the audit entry commit together; the low-stock
 * alert is checked right after.
 */
export async function uploadPoolCodes(
  deps: UploadDeps,
  input: { campaign: CampaignRow; staffId: string; file: Readable | AsyncIterable<Buffer> },
): Promise<PoolUploadResult> {
  const { campaign } = input;
  const refusal = poolUploadRefusal(campaign);
  if (refusal) throw PoolUploadRefused(refusal);
  const emoney = campaign.definition.options.emoney!;
  const result = await deps.db.transaction().execute(async (trx): Promise<PoolUploadResult> => {
    await lockPoolUploads(trx, campaign.id);
    await createPoolStaging(trx);
    const errors = new RowErrors();
    const brands = emoney.brands.map((b) => b.key);
    const staged = await stageFile(trx, input.file, brands, errors);
    if (staged.stopped) return errors.refusal(staged.rowsRead);
    await listDuplicates(trx, errors);
    if (errors.count > 0) return errors.refusal(staged.rowsRead, { sorted: true });
    const inserted = await insertStagedCodes(trx, campaign.id, emoney.amountYen);
    const total = Object.values(inserted).reduce((a, b) => a + b, 0);
    if (total !== staged.rowsRead) throw CodesTakenMeanwhile();
    await recordAudit(
      trx,
      {
        staffId: input.staffId,
        action: 'pool.upload',
        targetType: 'campaign',
        targetId: campaign.id,
        campaignId: campaign.id,
        details: { inserted, total },
      },
      deps.now(),
    );
    return { accepted: true, rowsRead: staged.rowsRead, inserted, errors: [], errorCount: 0 };
  });
  if (result.accepted) await checkPoolStock(deps, { campaignId: campaign.id });
  return result;
}

/** Every problem counted; the first MAX_LISTED_ERRORS listed. */
class RowErrors {
  readonly listed: PoolRowError[] = [];
  count = 0;

  add(e: PoolRowError): void {
    this.count++;
    this.list(e);
  }

  /** Listed only: the caller counts these (the database counts them all, lists a few). */
  list(e: PoolRowError): void {
    if (this.listed.length < MAX_LISTED_ERRORS) this.listed.push(e);
  }

  refusal(rowsRead: number, opts: { sorted?: boolean } = {}): PoolUploadResult {
    if (opts.sorted) this.listed.sort((a, b) => a.line - b.line);
    return { accepted: false, rowsRead, inserted: {}, errors: this.listed, errorCount: this.count };
  }
}

/**
 * Reads the file into the staging table, checking each line. Stops at a wrong header or a file
 * that is not CSV (`stopped`): nothing after it can be read as codes.
 */
async function stageFile(
  trx: Db,
  file: Readable | AsyncIterable<Buffer>,
  brands: string[],
  errors: RowErrors,
): Promise<{ rowsRead: number; stopped: boolean }> {
  let header: PoolHeader | undefined;
  let rowsRead = 0;
  let batch: PoolRow[] = [];
  try {
    for await (const records of csvRecords(file as AsyncIterable<Buffer>)) {
      for (const rec of records) {
        if (!header) {
          const h = readPoolHeader(rec);
          if (isRowError(h)) {
            errors.add(h);
            return { rowsRead, stopped: true };
          }
          header = h;
          continue;
        }
        rowsRead++;
        const row = parsePoolRow(rec, header, brands);
        if (isRowError(row)) errors.add(row);
        else batch.push(row);
        if (batch.length >= STAGE_BATCH) {
          await stageRows(trx, batch);
          batch = [];
        }
      }
    }
  } catch (err) {
    if (!(err instanceof CsvFormatError)) throw err;
    errors.add({ line: err.line, message: err.reason });
    return { rowsRead, stopped: true };
  }
  await stageRows(trx, batch);
  if (!header) errors.add({ line: 1, message: POOL_ROW_TEXT.emptyFile });
  else if (rowsRead === 0) errors.add({ line: 2, message: POOL_ROW_TEXT.noCodes });
  return { rowsRead, stopped: false };
}

/** Codes repeated in the file, and codes already stored (in any campaign: unique per brand). */
async function listDuplicates(trx: Db, errors: RowErrors): Promise<void> {
  const inFile = await duplicatesInFile(trx, MAX_LISTED_ERRORS);
  errors.count += await countDuplicatesInFile(trx);
  for (const d of inFile) errors.list({ line: d.line, message: POOL_ROW_TEXT.sameAsLine(d.first) });
  const inDb = await duplicatesInDb(trx, MAX_LISTED_ERRORS);
  errors.count += inDb.count;
  for (const line of inDb.lines) errors.list({ line, message: POOL_ROW_TEXT.alreadyStored });
}
