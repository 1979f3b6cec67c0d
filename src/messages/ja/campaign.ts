/** A campaign's public pages (index, landing, FAQ, closed notice). */
export const CAMPAIGN_JA = {
  closed: 'お詫びの品のお手続きの受付は終了しました。',
  notFound: 'キャンペーンが見つかりません。',
  index: { title: 'お手続き一覧', heading: 'お詫びの品 お手続きサイト' },
  closedPage: {
    title: '受付終了',
    heading: 'お手続きの受付は終了しました',
    endedBefore: 'お詫びの品のお手続きは ',
    endedAfter:
      ' をもって受付を終了しました。期限内にお手続きがなかったため、お詫びの品のお選びはいただけません。',
    stillDelivering: (postmarkRule: string) =>
      `期限までにお手続きいただいたお詫びの品は、引き続き順次お届けします。ハガキでのお手続きは、${postmarkRule}`,
    erasure:
      'お客様の個人情報は、定められた期限までにすべて消去いたします。ご不明な点は下記のお問い合わせ窓口までご連絡ください。',
  },
  faq: { title: 'よくあるご質問', heading: 'よくあるご質問（FAQ）', back: 'お詫びとご報告のページへ戻る' },
  landing: {
    ended: (date: string) => `お詫びの品のお手続きの受付は ${date} をもって終了しました。`,
    endedLead:
      'すでにお手続きいただいたお客様には、お選びいただいたお詫びの品を順次お届けしています。ログインすると、お手続きの状況と電子マネーギフトのコードをご確認いただけます。',
    deadlineLabel: 'お手続き期限：',
    ctaBefore: 'お手続き期限：',
    ctaAfter: 'まで',
    start: 'お詫びの品のお手続きはこちら',
    prepare: 'お手元の書面（宛名用紙）に記載の「ご登録用コード」と「ログインキー」をご用意ください。',
    incidentHeading: '事故の概要',
    leakedHeading: '漏えいした情報項目について',
    leakedLead:
      '今回の事故で漏えいが確認された情報項目は、以下の通りです。お客様ごとの項目は、ログイン後にご確認いただけます。',
    giftHeading: 'お詫びの品について',
    giftLead:
      'ご心配をおかけしたお客様に、些少ではございますがお詫びの品をご用意いたしました。次のうちひとつをお選びください。',
    donationTotal: (count: number, amount: string, recipient: string) =>
      `これまでに${count.toLocaleString('ja-JP')}件・${amount}を寄付しました（寄付先：${recipient}）。`,
    procHeading: 'お手続き方法と期限',
    webHeading: 'WEBサイトからのお手続き（パソコン・スマートフォン）',
    web: 'お手続きにはお客様の「ご登録用コード」と「ログインキー」が必要です。本書状の宛名用紙に記載しておりますので、宛名用紙をご用意の上お手続きください。',
    postcardHeading: 'ハガキでのお手続き',
    postcard:
      '図書カードまたはご寄付は、宛名用紙にあるハガキに必要事項をご記入の上、切り取って投函いただくことでもお手続きいただけます。電子マネーギフトはWEBのみのお手続きとなります。',
    postmark: (rule: string) => `（${rule}）`,
    dataHeading: '個人情報の消去・お知らせの停止について',
    erasureAlready:
      'すでに個人情報消去のご連絡をいただいているお客様は、お詫びの品の発送後に情報を消去いたします。あらためてのお手続きは必要ありません。',
    faqLink: 'よくあるご質問（FAQ）',
  },
  options: {
    giftHeading: (productName: string, amount: string) => `${productName}（${amount}分）`,
    brands: 'ブランド：',
    donationHeading: (recipient: string, amount: string) => `${recipient}へのご寄付（${amount}）`,
  },
};
