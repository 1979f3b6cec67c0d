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
  },
  what: {
    campaign: 'キャンペーン',
    batch: '出荷バッチ',
    purgeReport: '消去レポート',
  },
} as const;
