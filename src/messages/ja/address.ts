/** The customer's address form: "住所を検索" (postal-code look-up) and the prefecture check. */
export const ADDRESS_JA = {
  lookupButton: '住所を検索',
  lookupHint:
    '郵便番号を入力して「住所を検索」を押すと、都道府県・市区町村・町域が住所欄に入ります（入力済みの番地・建物名はそのまま残ります）。',
  lookupNeedsPostalCode: '郵便番号を入力してから「住所を検索」を押してください。',
  lookupUnknown:
    'この郵便番号の住所が見つかりませんでした。郵便番号をお確かめいただくか、住所を都道府県から直接入力してください。',
  lookupManyPlaces:
    'この郵便番号は複数の都道府県にまたがっています。住所を都道府県から直接入力してください。',
  lookupFilled: (start: string) =>
    `郵便番号から「${start}」を住所欄に入力しました。番地・建物名・部屋番号までご確認ください（まだ送信されていません）。`,
  prefectureMismatch: (postalCodePrefectures: string, addressPrefecture: string) =>
    `郵便番号は${postalCodePrefectures}の番号ですが、住所は${addressPrefecture}になっています。郵便番号か住所をお確かめください。`,
};
