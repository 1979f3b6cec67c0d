/** What the console's jobs page says (Japanese): queues, jobs, states and the outbox. */

/** The BullMQ queues by name (src/platform/queues.ts). */
export const QUEUE_LABELS: Record<string, string> = {
  fulfilment: 'お詫びの品の発行',
  maintenance: '定期処理',
  imports: 'お客様データの取り込み',
};

/** The jobs by name (src/platform/queues.ts, JobPayloads). */
export const JOB_LABELS: Record<string, string> = {
  fulfil: 'お詫びの品の発行',
  'fulfil-pending': '未発行分の再処理',
  'cut-batches': '出荷バッチの作成',
  erase: '個人情報の消去',
  close: '受付の締め切り',
  purge: 'キャンペーンの個人情報の一括消去',
  'check-deadlines': '消去期限の確認',
  'export-suppression': '案内停止リストの連携',
  'import-customers': 'お客様データの取り込み',
  'check-pool-stock': 'ギフトコード在庫の確認',
  'export-audit-head': '監査ログの先頭の書き出し',
  'sweep-uploads': '残ったアップロードファイルの削除',
};

/** BullMQ's job states, in the order the table shows them. */
export const STATE_LABELS = {
  waiting: '待機中',
  active: '実行中',
  delayed: '遅延（再試行待ち）',
  failed: '失敗',
  completed: '完了',
} as const;
export type QueueState = keyof typeof STATE_LABELS;
export const QUEUE_STATES = Object.keys(STATE_LABELS) as QueueState[];

const label = (labels: Record<string, string>, key: string, unknown: string) =>
  Object.hasOwn(labels, key) ? labels[key]! : unknown;
export const queueLabel = (name: string) => label(QUEUE_LABELS, name, 'その他のキュー');
export const jobLabel = (name: string) => label(JOB_LABELS, name, 'その他のジョブ');

export const JOBS_TEXT = {
  pageTitle: 'ジョブ',
  notConnected: 'ジョブキューに接続されていません。',
  redisDown: 'キューを読み取れませんでした（Redis に接続できません）。',
  redisDownNote:
    'Redis に接続できないため、キューの件数を表示できません。お客様のお申し込みは受け付けられ、処理の依頼はデータベースに残ります（下の「送信待ちの依頼」）。Redis が戻ると自動で送信されます。',
  retriedAll: (queue: string, count: number) =>
    `キュー「${queue}」の失敗したジョブ ${count.toLocaleString('ja-JP')} 件を再実行に回しました。`,
  noneFailed: (queue: string) => `キュー「${queue}」に失敗したジョブはありません。`,
  retried: (id: string, job: string) => `ジョブ ${id}（${job}）を再実行に回しました。`,
  notFailed: (id: string) =>
    `ジョブ ${id} は失敗した状態ではありません（すでに再実行されたか、実行中です）。`,
  queue: 'キュー',
  job: 'ジョブ',
} as const;

/** How long something has waited, in the largest units that matter: 「2日3時間」「5分」「1分未満」. */
export function waitedFor(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return '1分未満';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d}日${h > 0 ? `${h}時間` : ''}`;
  if (h > 0) return `${h}時間${m > 0 ? `${m}分` : ''}`;
  return `${m}分`;
}
