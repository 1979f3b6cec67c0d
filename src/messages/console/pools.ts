/**
 * The operators' console, e-money code stock page (views/ops/campaigns/pools.ejs).
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const POOLS_CONSOLE = {
  index: {
    low: '残りわずか',
    enough: '十分',
    pageTitleOf: (slug: string | number) => `電子マネー在庫（${slug}）`,
    firstOfAll: (errorCount: string | number) => `全 ${errorCount} 件のうち先頭 `,
    items: ' 件',
    title: '電子マネーギフトの在庫',
    stateNote: (value: string | number) => `（${value}）`,
    added: (added: string | number) => `${added} 件のコードを登録しました。`,
    lowHeading: '在庫が少なくなっています',
    lowSince: (raisedAt: string | number) => `${raisedAt} から`,
    stockHeading: '種類ごとの在庫',
    noEmoneyKinds: 'このキャンペーンには電子マネーギフトの種類がありません。',
    stockCaption: '在庫（未割り当て）と割り当て済みのコード数',
    colKind: '種類',
    colKey: 'キー',
    colUnassigned: '在庫（未割り当て）',
    colAssigned: '割り当て済み',
    colTotal: '合計',
    colThreshold: '警告のしきい値',
    colState: '状態',
    thresholdNote: (percent: string | number, floor: string | number) =>
      `在庫がしきい値（合計の ${percent}% と ${floor} 件の大きいほう）を下回ると、受付中のキャンペーンでは業務コンソール全体に警告を出します。コードを追加してしきい値を上回ると警告は解除されます。`,
    uploadHeading: 'コードのアップロード',
    fileHintBefore: 'UTF-8 のCSV。1行目は見出し行',
    fileHintColumns: '（種類のキー、ギフトコード）、2行目から1行に1コード。',
    fileHintAfter: (amountYen: string | number) =>
      `列には上の表の「キー」を書きます。金額は ${amountYen} として登録します。誤りが1行でもあるとファイル全体を登録しません（誤りの行を一覧で示します）。`,
    fileLabel: 'コードのCSVファイル',
    upload: 'アップロードして登録する',
    badRowsCaption: (value: string | number) => `誤りのある行（${value}）`,
    colLine: '行',
    colMessage: '内容',
  },
};
