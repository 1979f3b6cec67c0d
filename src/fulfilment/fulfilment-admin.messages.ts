/** What the console's fulfilment pages say (Japanese), in one place. */

const n = (count: number) => count.toLocaleString('ja-JP');

export const FULFILMENT_TEXT = {
  titles: {
    overview: '発送・寄付',
    shipConfirm: '発送済みにする',
    importReport: '出荷ファイルの取り込み結果',
    donations: '寄付台帳',
    purgeReports: '消去レポート',
    alerts: '期限の警告',
    shipping: (slug: string) => `発送（${slug}）`,
    purgeReport: (id: string) => `消去レポート ${id}`,
  },
  notices: {
    cut: (batches: number, lines: number) =>
      `出荷バッチを ${n(batches)} 件作成しました（図書カード ${n(lines)} 枚）。`,
    nothingToCut: 'バッチにする図書カードはありませんでした。',
    shipped: (batch: string, delivered: number) =>
      `バッチ ${batch} を発送済みにしました（お届け完了 ${n(delivered)} 件）。出荷指示ファイルは削除しました。`,
    alreadyShipped: (batch: string) => `バッチ ${batch} はすでに発送済みです。変更はありません。`,
  },
  errors: {
    chooseFile: '出荷ファイル（CSV）を選んでください。',
    noFile: 'ファイルが選ばれていません。',
    confirmShipped: '確認欄にチェックを入れてから実行してください。',
    shippedNoManifest:
      'このバッチは発送済みです。出荷指示ファイルは個人情報の写しのため、発送とともに削除されています。',
    shippedHeader: '出荷ファイルの見出し行が正しくありません。',
    /** Beside the message: the header the vendor's file must start with (column names, as in the file). */
    shippedHeaderExpected: (columns: readonly string[]) => `the first line must be ${columns.join(',')}`,
  },
  /** The shipped-file reader reports in English (for the vendor); the operator reads Japanese. */
  badRows: [
    [/^no such batch and line$/, '該当する出荷バッチ・行がありません'],
    [/^line repeated with another tracking_number$/, '同じバッチ・行が別の追跡番号でもう一度あります'],
    [/^unreadable CSV/, 'CSV として読み取れません（引用符が閉じていません）'],
    [/^expected (\d+) fields, found (\d+)$/, '列の数が正しくありません（$1 列のところ $2 列）'],
  ] as readonly (readonly [RegExp, string])[],
  what: {
    batch: '出荷バッチ',
    purgeReport: '消去レポート',
  },
} as const;
