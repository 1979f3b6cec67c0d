import type { ImportRunRow } from './import-run.table.js';

/**
 * The console's words for customer imports (Japanese): refusals of an upload, why a run failed,
 * the letter download. They name lines, columns and counts, never a customer's data.
 */
export const IMPORT_TEXT = {
  importRun: '取り込み',
  purgedCampaign: '消去済みのキャンペーンには取り込めません。',
  chooseFile: '顧客CSVファイルを選んでください。',
  emptyFile: 'ファイルが空です。顧客CSVファイルを選んでください。',
  headerTooLong: '1行目: 見出し行が長すぎます。顧客CSVを選んでいるかご確認ください。',
  noHeader: '見出し行がありません（空のファイルです）',
  atLine: (line: number, reason: string) => `${line}行目: ${reason}`,
  badHeader: (line: number, missing: string | undefined, required: readonly string[]) =>
    `${line}行目: 見出し行の列が正しくありません` +
    (missing ? `（不足: ${missing}）` : '') +
    `。必要な列: ${required.join(', ')}`,
  refRepeated: '同じ顧客番号がこのファイルの前の行にもあります',
  alreadyRunning: 'このキャンペーンの取り込みが別に実行中です。',
  campaignGone: 'キャンペーンが見つからないか、消去済みです。',
  uploadMissing: 'アップロードされたファイルが見つかりません。もう一度アップロードしてください。',
  stoppedBySystemError:
    '取り込みが途中で止まりました（システムエラー）。取り込めたお客様の手紙データはこの取り込みからダウンロードできます。' +
    '同じファイルをもう一度アップロードすると、取り込み済みの行は飛ばして続きから取り込みます。',
  lettersNotReady: '取り込みが終わるまでお待ちください。手紙データは取り込みの終了後にダウンロードできます。',
  noLetters: 'この取り込みには手紙データがありません（取り込まれたお客様がいません）。',
  lettersUnreadable:
    '手紙データのファイルを開けませんでした。ダウンロードは行われていません。システム管理者に連絡してください。',
  /** Who took the letters, as the page shows it. */
  downloadedBy: (staffName: string | null, username: string | null) =>
    `${staffName ?? '不明'}（${username ?? '-'}）`,
} as const;

export const RUN_STATE_LABELS: Record<ImportRunRow['state'], string> = {
  queued: '待機中',
  running: '取り込み中',
  done: '完了',
  failed: '失敗',
};
