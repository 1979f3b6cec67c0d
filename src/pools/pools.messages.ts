/**
 * The console's words for e-money code pools (Japanese): refusals of an upload, problems of a code
 * file by line, and the low-stock alert. They never quote a code (a gift code is money).
 */
export const POOL_TEXT = {
  purgedCampaign: '消去済みのキャンペーンにはコードを登録できません。',
  noEmoney: 'このキャンペーンには電子マネーギフトがありません。',
  issuedByVendor: 'このキャンペーンの電子マネーギフトは発行元のAPIで発行するため、コードの登録は不要です。',
  chooseFile: 'コードのCSVファイル（brand,code）を選んでください。',
  fileRefused: (errorCount: number) =>
    `ファイルに誤りが ${errorCount} 件あるため、コードは1件も登録していません。直したファイルをもう一度アップロードしてください。`,
  takenMeanwhile: '同時に登録された別のファイルとコードが重複しました。もう一度アップロードしてください。',
} as const;

/** A code file's problems, each reported with its line. */
export const POOL_ROW_TEXT = {
  emptyFile: 'ファイルが空です（見出し行「brand,code」とコードが必要です）',
  noCodes: 'コードの行がありません',
  sameAsLine: (first: number) => `${first}行目と同じコードです（ファイル内の重複）`,
  alreadyStored: '既に登録済みのコードです',
  badHeader: '見出し行は「brand,code」の2列にしてください（1行目は見出し、2行目からコード）',
  columnCount: (n: number) => `列の数が ${n} です（brand,code の2列が必要です）`,
  emptyBrand: 'brand が空です',
  /** `brand` is shown only when it looks like a key (never a code pasted into the wrong column). */
  unknownBrand: (brand: string | null, brands: readonly string[]) =>
    `${brand ? `「${brand}」は` : ''}このキャンペーンの電子マネーの種類ではありません（${brands.join(' / ')} のいずれか）`,
  badCode: 'コードの形式が正しくありません（英数字とハイフンで4〜64文字、先頭と末尾は英数字）',
} as const;

export const STOCK_TEXT = {
  unknownBrand: (brand: string) => `${brand}（キャンペーンにない種類）`,
  lowBrand: (s: { label: string; free: number; threshold: number }) =>
    `${s.label} 残り ${s.free} 件（しきい値 ${s.threshold} 件）`,
  lowStockAlert: (slug: string, brands: string) =>
    `${slug}: 電子マネーギフトのコードの在庫が少なくなっています — ${brands}。コードを追加してください。`,
} as const;
