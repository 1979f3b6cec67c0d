import type { Readable } from 'node:stream';
import { recordAudit } from '../audit/audit.service.js';
import type { AppDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
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
  if (campaign.state === 'purged') return '消去済みのキャンペーンにはコードを登録できません。';
  if (!emoney) return 'このキャンペーンには電子マネーギフトがありません。';
  if (emoney.source !== 'pool') {
    return 'このキャンペーンの電子マネーギフトは発行元のAPIで発行するため、コードの登録は不要です。';
  }
  return null;
}

/**
 * All or nothing: every line is checked (header, brand of the campaign, code format, duplicates in
 * the file and against stored codes) and one bad line refuses the whole file, so the corrected file
 * can simply be uploaded again. Accepted codes and the audit entry commit together; the low-stock
 * alert is checked right after.
 */
export async function uploadPoolCodes(
  deps: Pick<AppDeps, 'db' | 'now' | 'logger'>,
  input: { campaign: CampaignRow; staffId: string; file: Readable | AsyncIterable<Buffer> },
): Promise<PoolUploadResult> {
  const { campaign } = input;
  const refusal = poolUploadRefusal(campaign);
  if (refusal) throw new AppError('validation', refusal);
  const emoney = campaign.definition.options.emoney!;
  const brands = emoney.brands.map((b) => b.key);

  const result = await deps.db.transaction().execute(async (trx) => {
    await lockPoolUploads(trx, campaign.id);
    await createPoolStaging(trx);
    const errors: PoolRowError[] = [];
    let errorCount = 0;
    const bad = (e: PoolRowError) => {
      errorCount++;
      if (errors.length < MAX_LISTED_ERRORS) errors.push(e);
    };
    let header: PoolHeader | undefined;
    let rowsRead = 0;
    let batch: PoolRow[] = [];
    try {
      for await (const records of csvRecords(input.file as AsyncIterable<Buffer>)) {
        for (const rec of records) {
          if (!header) {
            const h = readPoolHeader(rec);
            if (isRowError(h)) {
              bad(h);
              return { accepted: false, rowsRead, inserted: {}, errors, errorCount };
            }
            header = h;
            continue;
          }
          rowsRead++;
          const row = parsePoolRow(rec, header, brands);
          if (isRowError(row)) bad(row);
          else batch.push(row);
          if (batch.length >= STAGE_BATCH) {
            await stageRows(trx, batch);
            batch = [];
          }
        }
      }
    } catch (err) {
      if (!(err instanceof CsvFormatError)) throw err;
      bad({ line: err.line, message: err.reason });
      return { accepted: false, rowsRead, inserted: {}, errors, errorCount };
    }
    await stageRows(trx, batch);
    if (!header) bad({ line: 1, message: 'ファイルが空です（見出し行「brand,code」とコードが必要です）' });
    else if (rowsRead === 0) bad({ line: 2, message: 'コードの行がありません' });

    const inFile = await duplicatesInFile(trx, MAX_LISTED_ERRORS);
    errorCount += await countDuplicatesInFile(trx);
    for (const d of inFile) {
      if (errors.length < MAX_LISTED_ERRORS)
        errors.push({ line: d.line, message: `${d.first}行目と同じコードです（ファイル内の重複）` });
    }
    const inDb = await duplicatesInDb(trx, MAX_LISTED_ERRORS);
    errorCount += inDb.count;
    for (const line of inDb.lines) {
      if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, message: '既に登録済みのコードです' });
    }
    errors.sort((a, b) => a.line - b.line);
    if (errorCount > 0) return { accepted: false, rowsRead, inserted: {}, errors, errorCount };

    const inserted = await insertStagedCodes(trx, campaign.id, emoney.amountYen);
    const total = Object.values(inserted).reduce((a, b) => a + b, 0);
    if (total !== rowsRead) {
      // Another upload stored some of these codes between our check and our insert.
      throw new AppError(
        'conflict',
        '同時に登録された別のファイルとコードが重複しました。もう一度アップロードしてください。',
      );
    }
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
    return { accepted: true, rowsRead, inserted, errors: [], errorCount: 0 };
  });
  if (result.accepted) await checkPoolStock(deps, { campaignId: campaign.id });
  return result;
}
