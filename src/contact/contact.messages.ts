import type { RedemptionRow } from '../redemption/redemption.table.js';
import type { RequestKind, RequestStatus } from './contact.tables.js';

/** What the contact centre says (Japanese): flash messages, refusals and labels of its pages. */

export const LOOKUPS_PER_HOUR = 60;
export const ACTION_TOKEN_MINUTES = 10;

export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  reissue: 'お知らせの再発行',
  erasure: '個人情報のただちの消去',
};

export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  pending: '承認待ち',
  approved: '承認済み',
  rejected: '却下',
};

/** A gift's name when the campaign's definition gives none. */
export const OPTION_FALLBACK_LABELS: Record<RedemptionRow['option'], string> = {
  emoney: '電子マネーギフト',
  book_card: '図書カード',
  donation: '寄付',
};

/** What a piece of typed text looked like when it was refused (see contact-screen.ts). */
export const PERSONAL_DATA_MESSAGES = {
  email: 'メールアドレスのような文字列が含まれています。',
  phone: '電話番号のような数字が含まれています。',
  postal: '郵便番号のような数字が含まれています。',
  digits: '長い数字の並び（口座番号・カード番号など）が含まれています。',
  name: 'お客様のお名前（またはフリガナ）が含まれています。',
} as const;

export type PersonalDataKind = keyof typeof PERSONAL_DATA_MESSAGES;

export const CONTACT_TEXT = {
  pageTitle: 'コンタクトセンター',
  customerTitle: 'お客様の照会',
  erasureConfirmTitle: '個人情報の消去の確認',
  requestsTitle: '承認待ちの依頼',
  requestTitle: '依頼の確認',
  checkInput: '入力内容をご確認ください。',
  customer: 'お客様',
  notFound: 'このご登録用コードのお客様は見つかりません。コードの読み上げをもう一度確認してください。',
  notFoundField: '該当するお客様がいません。',
  personalData: (kind: PersonalDataKind) =>
    `理由・メモに${PERSONAL_DATA_MESSAGES[kind]}監査のための記録には、お客様の個人情報（氏名・電話番号・メールアドレス・住所・郵便番号など）を書かず、通話番号や依頼の内容だけを記入してください。`,
  tokenRefused: `この操作は、ご自身がこのお客様を照会してから${ACTION_TOKEN_MINUTES}分以内に限り受け付けます。お手数ですが、ご登録用コードでもう一度照会してから操作してください。（この拒否は監査ログに記録されました）`,
  lookupLimited: `照会の回数が上限（1時間に${LOOKUPS_PER_HOUR}件）に達しました。しばらく時間をおいてから照会してください。急ぎの場合はスーパーバイザーにご相談ください。（この件は監査ログに記録されました）`,
  erased: 'このお客様の個人情報はすでに消去されています。お手続きの内容は受付番号でご案内ください。',
  erasureAfterDeliveryOnly: 'このお客様の個人情報は、お詫びの品のお届け後に消去される予定です。',
  optOutAdded: '営業停止（ダイレクトメール・営業電話の停止）のご依頼を記録しました。',
  optOutAlready: 'すでに営業停止のご依頼を受け付けています。',
  erasureAfterDelivery: '消去のご依頼を記録しました。お詫びの品のお届け後に個人情報を消去します。',
  erasureAlreadyScheduled: 'すでに消去の予定があります。お詫びの品のお届け後に消去されます。',
  erasureRequested:
    '個人情報の消去を依頼しました。スーパーバイザーまたは管理者（ご自身以外）が承認すると消去され、「承認待ちの依頼」に受付番号が表示されます。',
  reissueRequested:
    'お知らせの再発行を依頼しました。スーパーバイザーまたは管理者（ご自身以外）が承認すると、新しいログインキーの印刷用ファイルが作られます。ログインキーはこの画面には表示されません。',
  reissueGiftShown:
    '電子マネーギフトのコードがお客様の画面にすでに表示されているため、お知らせは再発行できません（新しいログインキーを持つ人がギフトコードを見られるようになるため）。スーパーバイザーにご相談ください。',
  reissueNoAddress: 'このお客様の宛先は残っていないため、お知らせを再発行できません。',
  alreadyPending: (kind: RequestKind) =>
    `このお客様の「${REQUEST_KIND_LABELS[kind]}」の依頼は、すでに承認待ちです。「承認待ちの依頼」をご確認ください。`,
  notApprover:
    '依頼の承認は、依頼した本人以外のスーパーバイザーまたは管理者が行います。（この拒否は監査ログに記録されました）',
  notReviewer: 'この依頼を開けるのは、依頼した本人と、スーパーバイザーまたは管理者です。',
  notPending: 'この依頼はすでに処理されています。',
  requestNotFound: '依頼',
  reissueApproved:
    '承認しました。新しいログインキーを発行し、これまでのログインキーとお客様のログイン中の画面を無効にしました。印刷用ファイル（1通分）は、書き出しの権限がある方（依頼した本人以外）が1回だけダウンロードできます。',
  erasureApproved: (receipt: string) =>
    `承認し、個人情報を消去しました。受付番号 ${receipt} を依頼した方からお客様にお伝えください。`,
  erasureApprovedAfterDelivery:
    '承認しました。お客様がその後お手続きされたため、お詫びの品のお届け後に個人情報を消去します。',
  rejected: '依頼を取り下げ（却下し）ました。',
  letterSelf: '再発行を依頼した本人は、印刷用ファイルをダウンロードできません。',
  letterAlready:
    'この印刷用ファイルはすでにダウンロードされています。もう一度必要な場合は、改めて再発行を依頼してください。',
  letterUnavailable: 'この依頼には、ダウンロードできる印刷用ファイルがありません。',
} as const;
