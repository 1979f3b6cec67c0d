/** The frame of every customer page: header, footer, language switch, contact centre, warnings. */
export const LAYOUT_JA = {
  siteName: 'お詫びの品お手続き',
  siteSub: 'お詫びの品 お手続きサイト',
  siteTitle: (companyName: string) => `${companyName} お詫びの品お手続き`,
  skipToMain: '本文へ移動',
  logout: 'ログアウト',
  languageNav: '言語',
  /** The switch link's label, written in the language it switches to. */
  switchTo: { ja: '日本語', en: 'English' },
  /** Before a note. */
  noteMark: '※',
  faqLink: 'よくあるご質問',
  phishShortLabel: 'ご注意：',
  phishShort: (companyName: string) =>
    `${companyName}から、メールや電話でクレジットカード番号・暗証番号・パスワードをお尋ねすることはありません。`,
  freeDial: 'フリーダイヤル',
  period: '受付期間：',
  fallbackNote: 'つながらない場合はこちらへおかけください。',
  phish: {
    heading: 'なりすまし・フィッシング詐欺にご注意ください',
    neverAskBefore: (companyName: string) =>
      `${companyName}から、メール・電話・郵便でクレジットカード番号、有効期限、暗証番号、パスワードをお尋ねすることは`,
    neverAskStrong: '一切ありません',
    neverAskAfter: '。',
    onlyCodes:
      'このお手続きで入力いただくのは、お手元の書面に記載された「ご登録用コード」と「ログインキー」だけです。',
    checkAddress:
      'お手続きの前に、ブラウザのアドレスバーに表示されているアドレスと鍵のマークをご確認ください。不審なメールのリンクからは開かないでください。',
    suspicious:
      '不審な電話やメールを受け取られた場合は、個人情報を伝えず、下記のお問い合わせ窓口までご連絡ください。',
  },
  steps: { label: 'お手続きの流れ', names: ['入力', '確認', '完了'] },
  /** Shown on a page in another language before a campaign text that exists only in Japanese. */
  japaneseOnly: 'この部分は日本語のみです。',
  error: {
    title: 'エラー',
    notFound: 'ページが見つかりません',
    unavailable: 'ただいまご利用いただけません',
    failed: 'お手続きを続けられませんでした',
    backToTop: 'トップページへ戻る',
  },
};
