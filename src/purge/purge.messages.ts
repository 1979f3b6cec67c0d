import { jstDateTime } from '../platform/jst.js';

/**
 * Every text of the purge: the report (check names, details, steps, headings, result), its alerts
 * and the console's purge warnings. Japanese, in one place; the code only picks and fills them.
 * Texts name counts, kinds, dates and reference numbers, never a customer's personal value.
 */

export type CheckStatus = 'passed' | 'failed' | 'not_applicable';
export type CheckId = 'personal_rows' | 'counts' | 'database' | 'redis' | 'storage' | 'logs';
export type PurgeOutcome = 'passed' | 'failed' | 'refused';
export type GiftKind = 'book_card' | 'donation' | 'emoney';
/** What the deadline check counts: each still needs personal data the purge would delete. */
export type PurgeRiskKind =
  | 'unshipped_book_cards'
  | 'unfulfilled_emoney'
  | 'unbooked_donations'
  | 'pending_erasures'
  | 'unexported_optouts';
/** What became of the undelivered gifts a purge found. */
export type GiftFate = 'kept_refused' | 'destroyed_with_override' | 'already_purged';

const n = (x: number) => x.toLocaleString('ja-JP');

export { jstDateTime };

const nothingToSearch = '検索するものがありません';

export const PURGE_MESSAGES = {
  title: '消去レポート',
  outcome: {
    passed: 'すべての確認に合格',
    passedWithNotApplicable: (na: number) => `対象となる確認にすべて合格（対象なし ${n(na)} 件）`,
    failed: '確認に不合格あり',
    nothingExamined: '確認できたものがないため、合格としません',
    refused: (count: number) => `消去を拒否（未配送のお詫びの品 ${n(count)} 件）`,
  },
  outcomeShort: { passed: '合格', failed: '不合格', refused: '消去を拒否' } satisfies Record<
    PurgeOutcome,
    string
  >,
  status: { passed: '合格', failed: '不合格', not_applicable: '対象なし' } satisfies Record<
    CheckStatus,
    string
  >,
  headings: {
    result: '結果',
    checks: '確認',
    counts: '件数（消去前・消去後）',
    steps: '工程ごとの時間',
    undelivered: '未配送のお詫びの品',
    override: '上書きの記録',
  },
  facts: {
    startedAt: '開始',
    finishedAt: '終了',
    duration: '所要時間',
    seconds: '秒',
    sampled: '消去前に控えて検索した値',
    items: '件',
    file: 'レポートファイル',
  },
  columns: {
    check: '確認項目',
    status: '結果',
    detail: '詳細',
    item: '対象',
    before: '消去前',
    after: '消去後',
    step: '工程',
    ms: 'ミリ秒',
    kind: '種類',
    count: '件数',
    redemptionIds: '申し込み番号',
    fate: '扱い',
    who: '記録した人',
    at: '記録日時',
    reason: '理由',
  },
  checks: {
    personal_rows: {
      name: 'キャンペーンの個人情報の行が残っていない',
      detail: (left: number) => `消去後に残った個人情報の行: ${n(left)} 行`,
    },
    counts: {
      name: '数えた対象がすべて 0 件',
      allZero: '消去後はすべて 0 件です',
      left: (items: string[]) => `残っているもの: ${items.join('、')}`,
      uncountable: (items: string[]) => `数えられなかったもの: ${items.join('、')}`,
    },
    database: {
      name: '控えた値がどのテーブルにもない（データベース）',
      searched: (tables: number, columns: number, values: number) =>
        `${n(tables)} テーブル・${n(columns)} 列を、控えた ${n(values)} 件の値で検索しました`,
      skipped: (columns: number) =>
        `（うち ${n(columns)} 列は、列の型の制約が控えたどの値も受け付けないため、読まずに済みました）`,
      none: '見つかりませんでした',
      place: (column: string, rows: number) => `${column}（${n(rows)} 行）`,
      hits: (places: string[]) => `値が見つかった列: ${places.join('、')}`,
      noTables: `検索できるテーブルがないため、${nothingToSearch}`,
    },
    redis: {
      name: '控えた値がどのキーにもない（Redis）',
      searched: (nodes: number, keys: number, values: number) =>
        `Redis ${n(nodes)} 台で、${n(keys)} 件のキー（名前と値）を控えた ${n(values)} 件の値で検索しました`,
      none: '見つかりませんでした',
      hits: (keys: number) => `値が見つかったキー: ${n(keys)} 件`,
      unreachableNodes: (nodes: number) =>
        `接続できなかったレプリカ ${n(nodes)} 台は検索していません（復帰するとマスターから複製し直されます）`,
      noKeys: `Redis にキーが 1 件もないため、${nothingToSearch}`,
      unreachable: (code: string) =>
        `Redis に接続できないため、検索できませんでした${code ? `（${code}）` : ''}`,
      error: (code: string) => `Redis の検索中にエラーが発生しました${code ? `（${code}）` : ''}`,
    },
    storage: {
      name: 'キャンペーンのファイルが保存先に残っていない',
      listed: (campaignId: string, left: number) =>
        `保存先（ファイルの置き場所）のキャンペーン ${campaignId} の場所を一覧しました。残っているファイル: ${n(left)} 件`,
      leftKeys: (keys: string[], more: number) =>
        `残っているファイル: ${keys.join('、')}${more > 0 ? ` ほか ${n(more)} 件` : ''}`,
      error: (code: string) => `保存先を一覧できませんでした${code ? `（${code}）` : ''}`,
    },
    logs: {
      name: 'ログに個人情報を書かない',
      /** Logs are not searched: many machines write them, and they carry no personal data by design. */
      statement: (logFile: string | undefined) =>
        'ログはここでは検索しません。ログには個人情報を書かない作りで、それを自動テスト' +
        '（./test/security/logging-canary.test.ts と ./test/logging.test.ts）が確かめています。' +
        (logFile
          ? `ログの出力先: 標準出力と LOG_FILE のファイル（${logFile}）`
          : 'LOG_FILE が設定されておらず、ログの出力先は標準出力だけです'),
    },
    noSamples: `消去前に控えられる個人情報の値がなかった（既に消去済み、または個人情報の行がない）ため、${nothingToSearch}`,
  },
  steps: {
    undelivered: '未配送のお詫びの品の確認',
    sample: '消去前の値の控え',
    countBefore: '消去前の件数',
    deletePersonal: '個人情報の削除（キャンペーンの区画を空にする）',
    dropPartitions: '空になった区画の削除',
    deleteRest: 'ログイン記録・顧客番号・ジョブ・ファイルの削除',
    countAfter: '消去後の件数',
    checkDatabase: 'データベースの検索',
    checkRedis: 'Redis の検索',
    checkStorage: '保存先の一覧',
    checkLogs: 'ログの確認',
  },
  counts: {
    customer_personal: 'お客様の個人情報（行）',
    login_attempts: 'ログインの記録',
    suppression_list_refs: '営業停止リストの顧客番号',
    outbox: '未送信のジョブの指示',
    shipping_manifests: '発送データのファイル名の記録',
    contact_notes: 'お問い合わせ対応の入力メモ',
    customer_sessions: 'お客様のログイン中のセッション',
    reissue_letters: '再発行した案内状の印刷ファイル（未ダウンロード）',
    letter_tokens: '書面の確認用コード（QRコード）の記録',
    manifest_files: '保存先のファイル（アップロード・案内状・発送データなど）',
    suppression_files: '営業停止の連携ファイル',
    redis_jobs: 'Redis のジョブ',
  },
  uncountable: '数えられません',
  countItem: (label: string, count: number) => `${label} ${n(count)} 件`,
  gifts: {
    book_card: '未発送の図書カード',
    donation: '寄付台帳に未計上の寄付',
    emoney: '未発行の電子マネーギフト',
  } satisfies Record<GiftKind, string>,
  fate: {
    kept_refused: '消去せずに保持（お届けが必要です）',
    destroyed_with_override: '上書きの記録により、お届けしないまま個人情報を消去',
    already_purged: 'キャンペーンは消去済みです（お届けできません）',
  } satisfies Record<GiftFate, string>,
  /** When the emptied partitions could not be dropped at once (the shared tables were busy). */
  partitionsLeft:
    'お客様の個人情報と書面の確認用コードは、キャンペーンの区画ごと空にしました（ファイルごと消去済み）。' +
    '空になった区画そのものは、ほかのキャンペーンの処理を止めないよう、次回の消去ジョブの実行で削除します。',
  refusal: {
    summary: (count: number) =>
      `まだお届けしていないお詫びの品が ${n(count)} 件あるため、個人情報を消去しませんでした。` +
      'お届けを済ませるか、スーパーバイザーがキャンペーンの「消去」ページで理由を記録して上書きしてください。',
    notCovered: (count: number) =>
      `記録済みの上書きは、そのあとに見つかった ${n(count)} 件を対象にしていないため、使えません。`,
    checksNotRun: '消去を拒否したため、消去後の確認は行っていません。',
  },
  override: {
    summary: (who: string, at: Date, count: number) =>
      `${who} が ${jstDateTime(at)} に記録した上書きにより、未配送のお詫びの品 ${n(count)} 件をお届けしないまま消去しました。`,
  },
  overrideForm: {
    reasonRequired: (min: number) => `理由を${min}文字以上で入力してください`,
    reasonTooLong: (max: number) => `理由は${max}文字以内で入力してください`,
    confirmRequired: '確認欄にチェックを入れてから記録してください',
    forbidden: '上書きを記録できるのは、スーパーバイザーと管理者だけです。',
    nothingToOverride: '未配送のお詫びの品はありません。上書きを記録する必要はありません。',
    purged: 'このキャンペーンは消去済みです。',
    recorded: (count: number) =>
      `上書きを記録しました。消去の時期が来ると、未配送のお詫びの品 ${n(count)} 件をお届けしないまま個人情報を消去します。`,
  },
  confirm: {
    purgeSoonTitle: '7日以内に個人情報の消去が始まります',
    purgeSoonWhen: (startsAt: Date) =>
      `消去は ${jstDateTime(startsAt)}（日本時間）以降の最初の定時実行（1時間ごと）で行います。`,
    purgeSoonNow: '消去の開始時刻を過ぎているため、保存すると1時間以内の定時実行で消去します。',
    willDelete: (items: string[]) => `消去するもの: ${items.join('、')}`,
    customers: (count: number) => `お客様 ${n(count)} 名分の個人情報（${n(count)} 行）`,
    undelivered: (items: string[]) =>
      `まだお届けしていないお詫びの品: ${items.join('、')}。お届け前に消去すると、これらはお届けできなくなります（スーパーバイザーが上書きを記録するまで、消去は拒否されます）。`,
    noUndelivered: 'まだお届けしていないお詫びの品はありません。',
    purgeSoonCheckbox: (deadline: string) => `内容を確認しました。消去期限を ${deadline} にします`,
  },
  alert: {
    /** What each kind of leftover means to an operator (the banner), worded without personal data. */
    risks: {
      unshipped_book_cards: '未発送の図書カード',
      unfulfilled_emoney: '未発行の電子マネーギフト',
      unbooked_donations: '未計上の寄付',
      pending_erasures: '未実施の個人情報消去',
      unexported_optouts: '未連携の営業停止（マーケティング停止）依頼',
    } satisfies Record<PurgeRiskKind, string>,
    atRisk: (slug: string, risk: string, count: number, purgeDeadline: string, daysLeft: number) =>
      `${slug}: ${risk}が ${count} 件あります。消去期限 ${purgeDeadline}` +
      `（残り ${daysLeft} 日）までに処理しないと、個人情報が期限を越えて残るか、消去で失われます。`,
    failed: (slug: string, checks: string[]) =>
      `${slug}: 個人情報の消去（パージ）の確認に失敗しました（${checks.join(' / ')}）。消去レポートを確認してください。`,
    refused: (slug: string, count: number) =>
      `${slug}: 未配送のお詫びの品が ${n(count)} 件あるため、個人情報の消去（パージ）を拒否しました。` +
      'お届けを済ませるか、キャンペーンの「消去」ページで上書きを記録してください。',
  },
} as const;

export type PurgeMessages = typeof PURGE_MESSAGES;
