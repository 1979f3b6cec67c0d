/**
 * The operators' console, layout every console page shares (views/ops/partials): header, menu, alerts banner.
 * One object per view; a function where the text carries values (they are escaped by the view).
 */
export const PARTIALS_CONSOLE = {
  head: {
    pageTitle: (value: string | number) => `${value}Owabi 業務コンソール`,
    skipToMain: '本文へ移動',
    consoleName: 'Owabi 業務コンソール',
    signedInAs: (displayName: string | number, username: string | number) => `${displayName}（${username}）`,
    changePassword: 'パスワードの変更',
    logout: 'ログアウト',
    menuLabel: '業務メニュー',
    alerts: '警告',
  },
};
