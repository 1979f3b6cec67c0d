import type { CampaignState } from './campaign.table.js';

/**
 * The console's words for campaigns (Japanese): the campaign form's labels and its messages, and
 * the refusals of a campaign change. Every form message names the field (and the line) it is about.
 */

export const FORM_LABELS = {
  slug: 'スラッグ（URL）',
  state: '状態',
  companyName: '会社名',
  title: 'タイトル',
  apology: 'お詫び文',
  signatories: '署名',
  incidentSummary: '事故の概要',
  leakedItems: '漏えいした項目',
  leakedNotes: '漏えい項目の注記',
  emoneyEnabled: '電子マネーギフト',
  emoneyAmountYen: '電子マネーギフトの金額',
  emoneyProductName: '電子マネーギフトの品名',
  emoneySource: '電子マネーギフトのコードの調達',
  emoneyBrands: '電子マネーの種類',
  emoneyNotes: '電子マネーギフトの注記',
  bookCardEnabled: '図書カード',
  bookCardAmountYen: '図書カードの金額',
  bookCardProductName: '図書カードの品名',
  bookCardLeadTimeNote: '図書カードのお届け時期の注記',
  donationEnabled: '寄付',
  donationAmountYen: '寄付の金額',
  donationRecipient: '寄付先',
  donationDescription: '寄付の説明',
  erasureNote: '個人情報の消去の説明',
  erasureWarning: '消去に関する注意',
  optoutNote: 'ダイレクトメール等の停止の説明',
  deadline: '手続き期限',
  purgeDeadline: '消去期限',
  postmarkRule: 'はがきの消印の扱い',
  contactName: '窓口の名称',
  contactFreeDial: 'フリーダイヤル',
  contactFallbackNumber: 'つながらない場合の番号',
  contactFallbackNote: 'つながらない場合の案内',
  contactHours: '受付時間',
  contactPeriod: '受付期間',
  contactNotes: '窓口の注記',
  faq: 'よくあるご質問',
  trademarkNotes: '商標の表記',
  english: '英語の文面（JSON）',
} as const;

export const STATE_LABELS: Record<CampaignState, string> = {
  draft: '準備中',
  open: '受付中',
  closed: '終了',
  purged: '消去済み',
};

/** A new campaign's leaked items, as the form first shows them. */
export const DEFAULT_LEAKED_ITEMS = 'name: 氏名\naddress: 住所\nphone: 電話番号';

/** What the campaign form says beside a field it cannot take. */
export const FORM_TEXT = {
  tooLong: (label: string, max: number) => `${label}は${max}文字以内で入力してください`,
  required: (label: string) => `${label}を入力してください`,
  amount: (label: string) => `${label}は1〜1,000,000の整数（円）で入力してください`,
  day: (label: string) => `${label}は実在する日付を YYYY-MM-DD の形式で入力してください`,
  pairFormat: (label: string, line: number) =>
    `${label}の${line}行目は「キー: 表示名」の形式で入力してください`,
  pairKey: (label: string, line: number) =>
    `${label}の${line}行目: キーは英小文字・数字・_（アンダースコア）で入力してください`,
  pairRepeated: (label: string, line: number, first: number) =>
    `${label}の${line}行目: キーが${first}行目と同じです。キーは行ごとに変えてください`,
  pairsRequired: (label: string) => `${label}を1行以上「キー: 表示名」の形式で入力してください`,
  slug: 'スラッグは英小文字・数字・ハイフンで2〜63文字（先頭は英小文字か数字）で入力してください',
  state: '状態は「準備中」「受付中」「終了」から選んでください',
  noGift: 'お詫びの品を少なくとも1つ有効にしてください',
  emoneySource: 'コードの調達は「事前購入したコード」か「発行元のAPI」から選んでください',
  purgeAfterDeadline: '消去期限は手続き期限より後の日付にしてください',
  faqQuestionFirst: (line: number) => `よくあるご質問の${line}行目: 質問は「Q:」で始めてください`,
  faqNoQuestion: (entry: number) => `よくあるご質問の${entry}件目: 「Q:」の後に質問を入力してください`,
  faqNoAnswer: (entry: number) => `よくあるご質問の${entry}件目: 「A:」で回答を入力してください`,
  englishJson: '英語の文面は JSON（{ "title": "…" } の形）で入力してください',
  englishField: (path: string) =>
    `英語の文面の「${path}」が正しくありません（文字列・配列・項目名をご確認ください）`,
  /** A definition-check message in English (from the schema), shown in its place. */
  fieldInvalid: (label: string) => `${label}の入力内容に誤りがあります`,
} as const;

/** Refusals of a campaign change (see campaign.errors). */
export const CAMPAIGN_TEXT = {
  campaign: 'キャンペーン',
  definitionInvalid: 'キャンペーン定義に誤りがあります。',
  purgeAfterDeadline: '消去期限は手続き期限より後にしてください',
  slugTaken: (slug: string) => `スラッグ「${slug}」は既に使われています。別のスラッグを入力してください`,
  purgedReadOnly: '消去済みのキャンペーンは変更できません。',
  /** Named by their display names (the operator's words), never by their keys. */
  leakedItemsInUse: (labels: string) =>
    `取り込み済みのお客様の漏えい項目として使われている行は削除できません: ${labels}`,
  brandsInUse: (labels: string) => `コードの在庫か申し込みがある電子マネーの種類は削除できません: ${labels}`,
} as const;

/** The warnings of a change that needs the operator's confirmation (see campaign-admin.safety). */
export const SAFETY_TEXT = {
  pastDeadlineTitle: '手続き期限が過ぎています',
  pastDeadline: (deadline: string) =>
    `手続き期限 ${deadline} は既に過ぎています。「受付中」のまま保存すると、1分以内に自動で「終了」になり、お客様は手続きできません。`,
  pastDeadlineCheckbox: (deadline: string) => `内容を確認しました。手続き期限を ${deadline} のまま保存します`,
  needsConfirmation: '保存する前に、警告の内容を確認してください。まだ保存していません。',
} as const;
