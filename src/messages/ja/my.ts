/** The logged-in customer's pages: what leaked, the choices, the confirmation, the status. */
export const MY_JA = {
  leaked: {
    heading: '漏えいしたお客様の情報',
    lead: 'お客様について漏えいが確認された情報項目は、次の通りです。',
  },
  choose: {
    title: 'お詫びの品の選択',
    heading: 'お詫びの品のお手続き',
    optionLegend: 'お詫びの品をひとつお選びください',
    giftLabel: (productName: string, amount: string) => `${productName}（${amount}分）`,
    emoneyHint: 'お手続き完了後すぐにコードが表示され、登録（交換）できます。',
    brandLegend: '電子マネーの種類（電子マネーギフトを選んだ方）',
    addressLegend: 'お届け先（図書カードを選んだ方）',
    addressAsIs: 'この住所に送る',
    addressCorrect: '住所を修正して送る（下に入力してください）',
    postalCodeLabel: '郵便番号（修正する場合）',
    addressLabel: '住所（修正する場合・都道府県から）',
    donationLabel: (recipient: string, amount: string) => `${recipient}へのご寄付（${amount}）`,
    dataLegend: '今後の弊社からのお知らせと個人情報のお取り扱い',
    erasureAlready:
      'すでに個人情報消去のご連絡をいただいております。お詫びの品の発送後、お客様の情報は消去いたします。あらためてのお手続きは必要ありません。',
    dataChoices: {
      none: '変更しない',
      marketing_optout: 'ダイレクトメールの発送や営業電話を停止する',
      erasure: '個人情報を消去する',
    },
    caution: 'ご注意：',
    toConfirm: '確認画面へ進む',
  },
  /** A customer's name as addressed on a page. */
  honorific: (name: string) => `${name} 様`,
  summary: {
    gift: 'お詫びの品',
    delivery: 'お届け先',
    corrected: '（修正後）',
    data: '個人情報のお取り扱い',
    dataChoices: {
      none: '変更しない',
      marketing_optout: 'ダイレクトメールの発送や営業電話を停止する',
      erasure: 'お詫びの品の発送後に個人情報を消去する',
    },
  },
  confirm: {
    title: '内容の確認',
    heading: 'お手続き内容の確認',
    lead: '以下の内容でお手続きします。',
    final:
      '電子マネーギフトは、完了後に変更できません。図書カードと寄付の切り替えや個人情報の取り扱いは、発送の準備・寄付・消去が行われるまでの間、お手続き状況のページから変更できます。',
    submit: 'この内容で申し込む',
    back: '入力画面に戻って修正する',
  },
  status: {
    titleDone: 'お手続き完了',
    title: 'お手続きの状況',
    headingDone: 'お手続きが完了しました',
    thanks:
      'お手続きいただき、ありがとうございました。あらためまして、このたびは大変なご心配とご迷惑をおかけしましたことを、心より深くお詫び申し上げます。',
    heading: 'お手続きの状況',
    channels: { web: 'WEB', postcard: 'ハガキ' },
    alreadyDone: (at: string, channel: string) =>
      `お客様のお手続きはすでに完了しています（${at} 受付、${channel}）。`,
    codeHeading: '電子マネーギフトのコード',
    codeHowTo: (brand: string) =>
      `このコードを、お選びいただいた電子マネー（${brand}）の登録（交換）画面で入力してください。お手続き後すぐにご利用いただけます。`,
    codeAgain:
      'コードは、もう一度ログインするといつでもご確認いただけます。コードは他の人に教えないでください。',
    codePending: 'ギフトコードを発行しています。しばらくしてからこのページを再読み込みしてください。',
    shipHeading: '図書カードのお届け',
    shipped: (date: string) => `${date}に発送しました。`,
    shipPreparing: '発送の準備をしています。',
    donationHeading: 'ご寄付',
    donation: (recipient: string, amount: string) =>
      `お詫びの品にかえて、弊社から${recipient}へ${amount}を寄付いたします。`,
    donationDone: '寄付の手続きは完了しています。',
    privacyHeading: '個人情報のお取り扱い',
    erased: (at: string) => `お客様の個人情報は ${at} に消去しました。`,
    erasureReceipt: '消去受付番号：',
    erasureAfterShipping: 'お詫びの品の発送後に、お客様の個人情報を消去いたします。',
    optedOut: 'ダイレクトメールの発送や営業電話を停止します。',
    noChange: '変更のお申し出はありません。',
  },
};
