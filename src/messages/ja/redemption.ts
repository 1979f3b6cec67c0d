/** The customer's redemption pages: choices, confirmation, completion, status. */
export const REDEMPTION_JA = {
  formUnreadable: '入力内容が正しくありません。',
  chooseOption: 'お詫びの品をお選びください。',
  optionUnavailable: 'お選びいただいたお詫びの品は、このお手続きではご利用いただけません。',
  chooseBrand: '電子マネーの種類をお選びください。',
  chooseDataChoice: '個人情報のお取り扱いについてお選びください。',
  confirmDelivery: '図書カードのお届け先をご確認ください。',
  postalCode: '郵便番号は7桁の数字で入力してください（例：100-0004）。',
  address: {
    tooShort: '住所を都道府県から番地まで入力してください。',
    tooLong: '住所は200文字以内で入力してください。',
    prefectureFirst: '住所は都道府県名から入力してください。',
    streetNumber: '番地まで入力してください。',
  },
  poolEmpty:
    '申し訳ございません。お選びいただいた電子マネーギフトは、ただいま在庫を補充しております。お手数ですが、時間をおいて再度お手続きいただくか、別のお詫びの品をお選びください。お手続きはまだ完了しておりません。',
  alreadyErased: 'お客様の個人情報はすでに消去されています。',
};
