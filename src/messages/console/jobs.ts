/**
 * The operators' console, background jobs page (views/ops/jobs).
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const JOBS_CONSOLE = {
  index: {
    waited: (waited: string | number) => `（${waited}前）`,
    none: 'なし',
    newestShown: (count: string | number) => `（最新 ${count} 件を表示）`,
    title: 'ジョブ',
    healthHeading: 'キューの状況',
    countsCaption: 'キューごとのジョブの件数',
    colQueue: 'キュー',
    unreadable: '読み取れません（Redis に接続できません）',
    outboxHeading: '送信待ちの依頼（データベース）',
    outboxNote:
      'お申し込みと同時にデータベースに記録され、まだジョブキューに渡されていない処理の依頼です。Redis が止まっている間はここに溜まり、戻ると自動で送信されます。',
    outboxCount: '件数',
    outboxItems: (pending: string | number) => `${pending} 件`,
    outboxOldest: '最も古い依頼',
    failedHeading: '失敗したジョブ',
    failedNote:
      '再試行をすべて使い切って止まったジョブです。原因を取り除いてから再実行してください。ジョブの中身（データ）は表示しません。',
    queueHeading: (label: string | number) => `キュー「${label}」`,
    failedTotal: (total: string | number) => `失敗 ${total} 件`,
    noFailed: '失敗したジョブはありません。',
    retryAll: (total: string | number) => `失敗した ${total} 件をすべて再実行`,
    failedCaption: (value: string | number) => `新しい順${value}`,
    colAttempts: '試行回数',
    colFailure: '失敗の理由（技術情報）',
    colFailedAt: '失敗した日時',
    colCreatedAt: '登録日時',
    colActions: '操作',
    retryLabel: (jId: string | number) => `ジョブ ${jId} を再実行`,
    retry: '再実行',
  },
};
