/**
 * The operators' console, audit log pages (views/ops/audit): the filters, the list, the hash-chain check.
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const AUDIT_CONSOLE = {
  details: {},
  index: {
    continued: '・続き',
    title: '監査ログ',
    filtersLabel: '監査ログの絞り込み',
    staffLabel: 'スタッフ',
    all: 'すべて',
    staffOption: (username: string | number, displayName: string | number) => `${username}（${displayName}）`,
    actionLabel: '操作の種類（記録上のキー・前方一致）',
    actionHintBefore: '候補から選ぶか、キーの先頭を入力します（例：',
    actionHintAfter: 'でレポートの操作すべて）。',
    campaignLabel: 'キャンペーン',
    campaignOption: (cId: string | number, companyName: string | number, slug: string | number) =>
      `${cId}：${companyName}（${slug}）`,
    fromLabel: '開始日（日本時間）',
    toLabel: '終了日（日本時間・当日を含む）',
    filter: '絞り込む',
    clear: '条件をクリア',
    exportLink: 'この条件の監査ログをCSVでダウンロード',
    exportNote: '（ダウンロードも監査ログに記録されます）',
    verify: 'ハッシュチェーンを検証する',
    verifyNote: 'すべての記録のハッシュを最初から計算し直し、改ざん・削除・並べ替えがないか確認します。',
    empty: '条件に合う記録はありません。',
    caption: (value: string | number) => `監査ログ（新しい順${value}）`,
    colAt: '日時',
    colAction: '操作',
    colTarget: '対象',
    colReason: '理由',
    colDetails: '詳細',
    colHash: 'ハッシュ（先頭）',
    newest: '最新の記録へ',
    older: 'さらに古い記録',
  },
  verify: {
    title: 'ハッシュチェーンの検証',
    intact: (entries: string | number) =>
      `正常：${entries}件の記録を検証し、改ざん・削除・並べ替えは見つかりませんでした。`,
    broken: (brokenAt: string | number) =>
      `異常：ID ${brokenAt} の記録でハッシュが一致しません。この記録（またはその直前）が改ざん・削除・並べ替えされた可能性があります。`,
    checkedUpTo: (entries: string | number) => `検証した記録：${entries}件（異常のあった記録まで）`,
    checkedAt: (checkedAt: string | number) => `検証日時：${checkedAt}。この検証は監査ログに記録されました。`,
    back: '監査ログへ戻る',
  },
};
