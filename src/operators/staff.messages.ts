import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from './password-policy.js';

/**
 * The words of the console's sign-in, enrolment, account and staff pages (Japanese). One answer
 * for every failed password step — unknown user, wrong password, locked or disabled account — so
 * that no answer tells which usernames exist or are locked.
 */
/** A form came back with something to correct (the fields say what). */
export const CHECK_INPUT = '入力内容をご確認ください。';

export const SIGN_IN_TEXT = {
  title: 'ログイン',
  heading: '業務コンソール ログイン',
  username: 'ユーザー名',
  password: 'パスワード',
  submit: 'ログイン',
  recorded: 'この画面の操作はすべて記録されます。',
  invalid: CHECK_INPUT,
  failed:
    'ユーザー名またはパスワードが正しくありません。続けて5回間違えるとアカウントは15分間ロックされます。ロックされた場合は、時間をおくか管理者に解除を依頼してください。',
  clientThrottled:
    'このネットワークからのログインの失敗が多すぎるため、受け付けを止めています。1分ほど待ってから、もう一度お試しください。',
  noSecondFactor:
    '二要素認証（TOTP）が設定されていないため、ログインできません。管理者に登録用リンクの発行を依頼してください。',
  sessionEnded: 'ログインの有効期限が切れたか、ログアウトしました。もう一度ログインしてください。',
} as const;

export const SECOND_FACTOR_TEXT = {
  title: '二要素認証',
  heading: '確認コードの入力',
  intro: '認証アプリに表示されている6桁の確認コードを入力してください。',
  recoveryHint:
    '認証アプリを使えないときは、登録時に控えたリカバリーコード（12文字）を入力できます。各コードは一度だけ使えます。',
  code: '確認コードまたはリカバリーコード',
  submit: '確認',
  wrong: '確認コードが正しくありません。',
  tooMany:
    '確認コードを続けて間違えたため、このログインを中止しました。最初からやり直してください。続けて間違えるとアカウントはロックされます。',
} as const;

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem | 'mismatch' | 'required', string> = {
  too_short: `パスワードは${PASSWORD_MIN_LENGTH}文字以上にしてください。`,
  too_long: `パスワードは${PASSWORD_MAX_LENGTH}文字以内にしてください。`,
  common: 'よく使われているパスワード（またはその一部を変えただけのもの）は使えません。',
  context: 'ユーザー名やサービス名（Owabi）を含むパスワードは使えません。',
  mismatch: '確認のため入力したパスワードが一致しません。',
  required: 'パスワードを入力してください。',
};

export const PASSWORD_RULES = `${PASSWORD_MIN_LENGTH}文字以上${PASSWORD_MAX_LENGTH}文字以内。文字の種類の決まりはありません（長い文も使えます）。よく使われるパスワード、ユーザー名を含むものは使えません。`;

export const ENROL_TEXT = {
  title: 'アカウントの登録',
  heading: 'アカウントの登録（パスワードと二要素認証）',
  invalidTitle: 'このリンクは使えません',
  invalid:
    'このリンクは使えません。使用済みか、有効期限が切れたか、新しいリンクが発行されています。管理者に新しいリンクの発行を依頼してください。',
  forUser: 'ユーザー名：',
  expires: (at: string) => `このリンクの有効期限：${at}（一度だけ使えます）`,
  newPassword: '新しいパスワード',
  newPasswordAgain: '新しいパスワード（確認）',
  currentPassword: '現在のパスワード',
  currentPasswordWhy: '本人の確認のため、今のパスワードを入力してください。',
  currentCode: '現在の確認コードまたはリカバリーコード',
  currentCodeWhy: '本人の確認のため、認証アプリの確認コードかリカバリーコードを入力してください。',
  totpIntro:
    '認証アプリで QR コードを読み取るか、キーを入力し、表示された6桁の確認コードを入力してください。',
  qrAlt: '二要素認証の設定用 QR コード',
  key: 'キー',
  newCode: '認証アプリの確認コード',
  submit: '登録する',
  wrongCode: '確認コードが正しくありません。',
  wrongProof: '本人の確認ができませんでした。入力内容をご確認ください。',
  doneTitle: '登録が完了しました',
  done: '登録が完了しました。ログイン画面からログインしてください。',
  recoveryHeading: 'リカバリーコード',
  recoveryIntro:
    '認証アプリを使えなくなったときのためのコードです。この画面でしか表示されません。印刷するか書き写して、安全な場所に保管してください。各コードは一度だけ使えます。',
  toSignIn: 'ログイン画面へ',
} as const;

export const ACCOUNT_TEXT = {
  title: 'パスワードの変更',
  heading: 'パスワードの変更',
  currentPassword: '現在のパスワード',
  newPassword: '新しいパスワード',
  newPasswordAgain: '新しいパスワード（確認）',
  submit: '変更する',
  wrongCurrent: '現在のパスワードが正しくありません。続けて間違えるとアカウントはロックされます。',
  locked: 'ログインの失敗が続いたため、アカウントがロックされています。時間をおいてからお試しください。',
  changed: 'パスワードを変更しました。ほかの端末のログインは終了しました。',
} as const;
