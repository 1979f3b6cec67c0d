/** The customer's log-in: neutral failures (they never say which of code or key was wrong). */
export const AUTH_JA = {
  failed:
    'ご登録用コードまたはログインキーが正しくありません。お手元の書面をご確認のうえ、もう一度入力してください。',
  locked: (minutes: number, centre: { name: string; freeDial: string }) =>
    `ログインに続けて失敗したため、このご登録用コードでのログインを一時的に停止しています。${minutes}分ほど時間をおいてから再度お試しいただくか、${centre.name}（フリーダイヤル ${centre.freeDial}）までご連絡ください。`,
  throttled: 'ログインの試行が多すぎます。しばらく時間をおいてから再度お試しください。',
  loginAgain: 'もう一度ログインしてください。',
};
