/**
 * The console's own words (Japanese), in one place: error pages and alert kinds. Sections keep
 * their page texts in their own catalogues; nothing here is ever shown to customers.
 */

/** Headings of the console's error page, by HTTP status. */
export const OPS_ERROR_TITLES = {
  400: '入力内容を受け付けられませんでした',
  403: 'この画面を開く権限がありません',
  404: 'ページが見つかりません',
  409: 'この操作は今は行えません',
  410: 'この操作は今は行えません',
  423: 'アカウントがロックされています',
  429: '操作が多すぎます',
  503: 'ただいま利用できません',
  500: 'エラーが発生しました',
} as const satisfies Record<number, string>;

export type OpsErrorStatus = keyof typeof OPS_ERROR_TITLES;

export const OPS_ERROR_TEXT = {
  /** Replaces the customer wording of these codes (which speaks of "お手続き"). */
  csrf: 'ページの有効期限が切れたか、正しくない操作が行われました。画面を開き直してから、もう一度操作してください。',
  internal:
    '申し訳ありません。エラーが発生しました。操作が完了していない可能性があります。画面を開き直して状態を確かめてから、もう一度操作してください。',
  unavailable:
    'データベースに接続できないため、ただいま利用できません。操作は完了していません。しばらく時間をおいてから、もう一度操作してください。',
  /** For a page not found at all (the heading already says so). */
  notFound: 'アドレスが正しいか確かめてください。メニューから開き直すこともできます。',
  /** A route outside the operator's role. */
  noPermission: 'この操作を行う権限がありません。',
  neededRoles: (roles: string[]) => `この画面を利用できる役割：${roles.join('、')}`,
  yourRole: (role: string) => `あなたの役割：${role}`,
  askAdmin: '必要な場合は、管理者に役割の変更を依頼してください。',
  backToSection: (section: string) => `「${section}」の最初の画面へ戻る`,
  backHome: '業務コンソールのホームへ戻る',
  signIn: 'ログイン画面へ',
  backLabel: '戻る',
} as const;

/** What each kind of alert is called on the console (the `alerts.kind` column holds the key). */
export const ALERT_KIND_LABELS: Record<string, string> = {
  low_stock: 'ギフトコードの在庫不足',
  purge_failed: '個人情報の消去の失敗',
  purge_refused: '個人情報の消去の見合わせ（未配送のお詫びの品あり）',
  unshipped_book_cards: '未発送の図書カード',
  unfulfilled_emoney: '未発行の電子マネーギフト',
  unbooked_donations: '未計上の寄付',
  pending_erasures: '未実施の個人情報消去',
  unexported_optouts: '未連携の案内停止の依頼',
};

/** A kind this console does not know yet still reads as Japanese, never as its key. */
export const UNKNOWN_ALERT_KIND = 'その他の警告';

export const alertKindLabel = (kind: string): string =>
  Object.hasOwn(ALERT_KIND_LABELS, kind) ? ALERT_KIND_LABELS[kind]! : UNKNOWN_ALERT_KIND;

/** Refusals of a console file upload (multer's limits, a malformed body). */
export const UPLOAD_TEXT = {
  unreadable: '送信された内容を読み取れませんでした。もう一度お試しください。',
  byMulterCode: (code: string, maxMiB: number): string | undefined =>
    ({
      LIMIT_FILE_SIZE: `ファイルが大きすぎます（上限 ${maxMiB.toLocaleString('ja-JP')} MB）。`,
      LIMIT_UNEXPECTED_FILE: 'ファイルを選ぶ欄が正しくありません。画面からもう一度アップロードしてください。',
      LIMIT_FIELD_VALUE: '入力が長すぎます。',
      LIMIT_FILE_COUNT: 'ファイルは1つだけ選んでください。',
    })[code],
};
