/** Texts every page can show: generic errors of the HTTP layer. */
export const COMMON_JA = {
  notFound: (what = 'ページ') => `${what}が見つかりません。`,
  checkInput: '入力内容をご確認ください。',
  csrf: 'ページの有効期限が切れたか、正しくない操作が行われました。お手数ですが、もう一度最初からお試しください。',
  unreadableRequest: '送信された内容を受け付けられませんでした。入力内容をご確認ください。',
  unavailable:
    'ただいまサービスが混み合っているか、一時的にご利用いただけません。お手続きは完了していません。しばらく時間をおいてから再度お試しください。',
  internal:
    '申し訳ございません。エラーが発生しました。お手続きは完了していない可能性があります。時間をおいて再度お試しください。',
};
