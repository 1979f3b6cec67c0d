/** The words of the staff page (Japanese). */
export const STAFF_ADMIN_TEXT = {
  title: 'スタッフ',
  caption: 'スタッフ一覧',
  columns: {
    username: 'ユーザー名',
    displayName: '表示名',
    role: '役割',
    enrolment: '登録',
    state: '状態',
    actions: '操作',
  },
  enrolled: '登録済み',
  awaitingPassword: 'パスワード未設定',
  awaitingTotp: '二要素認証未設定',
  linkOpen: '登録用リンク発行済み',
  active: '有効',
  disabled: '無効',
  locked: 'ロック中',
  reason: '理由',
  reasonPlaceholder: '理由',
  changeRole: '役割を変更',
  disable: '無効にする',
  enable: '有効にする',
  resetPassword: 'パスワードを再設定',
  resetTotp: '二要素認証を再設定',
  unlock: 'ロックを解除',
  addHeading: 'スタッフの追加',
  addNote:
    'パスワードは本人が設定します。追加すると登録用リンクが一度だけ表示されるので、本人に安全な方法で渡してください。',
  supervisorNote: 'スーパーバイザーが追加・変更できるのはオペレーターだけです。',
  add: '追加する',
  notFound: 'スタッフが見つかりません。',
  onlyAdminGrants:
    'この役割を付けられるのは管理者だけです。スーパーバイザーはオペレーターだけを追加・変更できます。',
  onlyAdminEdits: 'このアカウントを変更できるのは管理者だけです。',
  notYourself: '自分のアカウントは無効にできません。',
  disabledNoReset: 'このアカウントは無効です。先に有効にしてください。',
  // The page that shows a new link, once.
  linkTitle: '登録用リンク',
  linkCreated: (username: string) => `${username} さんのアカウントを追加しました。`,
  linkReset: (username: string) =>
    `${username} さんの登録用リンクを発行しました。ログイン中の端末はすべてログアウトしました。`,
  linkIntro:
    '次のリンクを本人に渡してください。本人がこのリンクでパスワードと二要素認証を設定します。リンクはこの画面でしか表示されず、一度だけ使えます。',
  linkExpires: (at: string) => `有効期限：${at}`,
  backToStaff: 'スタッフ一覧へ戻る',
  unlocked: 'ロックを解除しました。',
} as const;
