/** The lost-letter search's console texts (operators read Japanese only). */
export const LOST_LETTERS_PER_HOUR = 10;

export const LOST_LETTER_TEXT = {
  pageTitle: '書面をなくされたお客様の検索',
  resultTitle: '書面をなくされたお客様の検索結果',
  campaign: 'キャンペーンを選んでください。',
  kanaName: '氏名（カナ）を入力してください。',
  kanaNameBad: '氏名（カナ）はカナ（ひらがな可）で入力してください。',
  birthDate: '生年月日を入力してください。',
  birthDateBad: '生年月日は 1980-04-01 や 1980/4/1 の形で、実在する日付を入力してください。',
  postalCode: '郵便番号を入力してください。',
  postalCodeBad: '郵便番号は7桁（例：100-0004）で入力してください。',
  noMatch:
    '3項目すべてが一致するお客様は見つかりませんでした。読み上げていただいた内容（氏名のカナ・生年月日・書面のお届け先の郵便番号）をご確認ください。引っ越しなどで郵便番号が変わった場合は、書面の宛先だった郵便番号でお探しください。',
  several: (n: number) =>
    `3項目すべてが一致するお客様が${n}名以上いらっしゃるため、お一人に絞れません。お客様にご家族宛ての書面がないかご確認いただくか、スーパーバイザーにご相談ください。（お客様の情報は表示しません）`,
  limited: `書面をなくされたお客様の検索は、1時間に${LOST_LETTERS_PER_HOUR}件までです。しばらく時間をおいてから検索してください。（この件は監査ログに記録されました）`,
  unknownCampaign: 'このキャンペーンは受付中または受付終了のキャンペーンではありません。',
};
