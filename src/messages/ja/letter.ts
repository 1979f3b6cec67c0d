/** A letter that proves itself: the page its QR code opens, and the login's pre-filled code. */
const day = (isoDay: string) => {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export const LETTER_JA = {
  pageTitle: '書面の確認',
  genuineHeading: 'この書面は、当サービスが発行した正規の書面です',
  genuineFor: (companyName: string, title: string) =>
    `${companyName}が「${title}」のお手続きのためにお送りした書面です。`,
  issuedOn: (isoDay: string) => `発行日：${day(isoDay)}`,
  codeTailLabel: 'ご登録用コードの末尾4文字',
  codeTailHint: 'お手元の書面のご登録用コードの末尾と同じであることをご確認ください。',
  toLogin: 'ログイン画面へ進む',
  toLoginNote:
    'ログイン画面ではご登録用コードが入力済みになります。ログインには、書面に記載のログインキーの入力が必要です。',
  replacedHeading: 'この書面は、新しい書面に置き換えられています',
  replacedBody: (isoDay: string) =>
    `この書面は当サービスが発行したものですが、${day(isoDay)}に新しい書面を再発行したため、この書面のログインキーは使えなくなりました。新しい書面でお手続きください。`,
  replacedNotAsked: '書面の再発行をお申し込みでない場合は、下記のお問い合わせ窓口までご連絡ください。',
  unknownHeading: 'この書面は、当サービスが発行したものではありません',
  unknownBody:
    'このQRコードの書面を当サービスが発行した記録はありません。書面に記載の情報を入力したり、記載の電話番号やメールアドレスに連絡したりしないでください。',
  unknownContact: (companyName: string) =>
    `お心当たりがない場合は、${companyName}の公式お問い合わせ窓口（下記）にご確認ください。`,
  unknownNoCampaign:
    'このアドレスのお手続きは当サービスにはありません。当サービスで受け付けているお手続きと、それぞれの公式お問い合わせ窓口は、お手続きの一覧でご確認いただけます。',
  campaignList: 'お手続きの一覧',
  throttled: '確認の回数が多すぎます。しばらく時間をおいてから再度お試しください。',
  prefilled: (tail: string) =>
    `ご登録用コード（末尾 ${tail}）は、書面のQRコードから入力済みです。ログインキーを入力してください。`,
  codeFromLetterHint:
    '空欄のままで、書面のQRコードのご登録用コードを使います。別のコードでログインする場合だけ入力してください。',
};
