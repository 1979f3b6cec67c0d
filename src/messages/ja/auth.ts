/** The customer's log-in: neutral failures (they never say which of code or key was wrong). */
export const AUTH_JA = {
  failed:
    'ご登録用コードまたはログインキーが正しくありません。お手元の書面をご確認のうえ、もう一度入力してください。',
  locked: (minutes: number, centre: { name: string; freeDial: string }) =>
    `ログインに続けて失敗したため、このご登録用コードでのログインを一時的に停止しています。${minutes}分ほど時間をおいてから再度お試しいただくか、${centre.name}（フリーダイヤル ${centre.freeDial}）までご連絡ください。`,
  throttled: 'ログインの試行が多すぎます。しばらく時間をおいてから再度お試しください。',
  loginAgain: 'もう一度ログインしてください。',
  enterCode: 'ご登録用コードを入力してください。',
  codeTooLong: 'ご登録用コードが長すぎます。',
  enterKey: 'ログインキーを入力してください。',
  keyTooLong: 'ログインキーが長すぎます。',
  page: {
    title: 'ログイン',
    closed: 'お手続きの受付は終了しました。ログインすると、お手続きの状況をご確認いただけます。',
    lead: 'お手元の書面（宛名用紙）に記載の「ご登録用コード」と「ログインキー」を入力してください。',
    lenient: '全角・半角、大文字・小文字、ハイフンや空白の有無は区別しません。',
    codeLabel: 'ご登録用コード',
    codeHint: '例：ABCD-EFGH-JKMN（英数字12文字）',
    keyLabel: 'ログインキー',
    keyHint: '英数字12文字（数字の0・1、英字のI・L・Oは使用していません）',
    submit: 'ログイン',
    lost: '書面をなくされた場合や、ログインできない場合は、下記のお問い合わせ窓口までご連絡ください。',
  },
};
