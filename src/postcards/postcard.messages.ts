import type { Channel } from '../redemption/redemption.table.js';

/**
 * The postcard pages' words for the notice queue and second keying (Japanese): what operators
 * read, and what a late or duplicate card's sender is told by post. Nothing here holds personal
 * data; the letter texts take only dates, the company and its contact centre.
 */

/** "2026-12-15" → "2026年12月15日". */
export const japaneseDate = (isoDay: string): string => {
  const [y, m, d] = isoDay.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

const CHANNEL_WORDS: Record<Channel, string> = { web: 'ウェブサイト', postcard: 'はがき' };

export interface NoticeLetterFacts {
  companyName: string;
  contact: { name: string; freeDial: string; hours: string };
}

const closing = (f: NoticeLetterFacts) =>
  `ご不明な点は、${f.contact.name}（フリーダイヤル ${f.contact.freeDial}、受付時間 ${f.contact.hours}）までお問い合わせください。`;

/** What the customer is told, by kind of card. */
export const NOTICE_LETTERS = {
  // No postmark date: after a mismatch two readings of it exist, and the deadline is what counts.
  late: (f: NoticeLetterFacts & { deadline: string }) =>
    `${f.companyName}です。お詫びの品のお手続きはがきをお送りいただき、ありがとうございました。` +
    `誠に申し訳ございませんが、お送りいただいたはがきの消印が、お手続きの期限（${japaneseDate(f.deadline)}消印有効）を` +
    `過ぎていたため、お手続きを承ることができませんでした。` +
    closing(f),
  duplicate: (f: NoticeLetterFacts & { channel: Channel; redeemedOn: string }) =>
    `${f.companyName}です。お詫びの品のお手続きはがきをお送りいただき、ありがとうございました。` +
    `お客様のお手続きは、${japaneseDate(f.redeemedOn)}に${CHANNEL_WORDS[f.channel]}で承っております。` +
    `先のお手続きが有効となりますので、このたびのはがきの内容は反映されません。` +
    closing(f),
} as const;

/** How the customer is told. */
export const NOTICE_HOW = {
  post: '郵送でお知らせします。お客様の登録住所あてに、「お知らせする内容」の文面をお送りください。',
  noAddress:
    'お客様の個人情報（住所）は消去済みのため、郵送できません。お送りせずに「対応済みにする」を押してください。',
} as const;

/** The notice queue on the follow-up page. */
export const NOTICE_PAGE = {
  heading: 'お客様へのお知らせ（期限後・重複のはがき）',
  intro:
    '期限後に届いたはがきと、すでにお手続き済みのお客様から届いたはがきです。受け付けなかったことを、お客様に郵送でお知らせします。お送りしたら「対応済みにする」を押してください（監査ログに記録されます）。',
  pending: (n: number) => `未対応 ${n} 件`,
  shownOldest: (n: number) => `（古い順に ${n} 件を表示）`,
  empty: 'お知らせが必要なはがきはありません。',
  caption: 'お知らせが必要なはがき（古い順）',
  columns: {
    card: '束・番号',
    code: '登録コード',
    kind: '結果',
    how: 'お知らせの方法',
    text: 'お知らせする内容',
    action: '対応',
  },
  kinds: { late: '期限後', duplicate: '重複（先のお手続きが有効）' },
  markDone: '対応済みにする',
  alreadyDone: 'このお知らせはすでに対応済みか、お知らせの対象ではありません。',
  campaignLink: (n: number) => `お客様へのお知らせ（${n} 件）`,
} as const;

/** Second keying is another person's reading: the first keyer is stopped before the form. */
export const SECOND_KEYING = {
  refused:
    'この束の1回目はあなたが入力しました。1回目を入力した方は、同じ束の2回目を入力できません（照合のため、別の人が読み直します）。別のオペレーターに交代してください。',
} as const;

/** Why a postcard action is refused: shown on the page the operator came from. */
export const POSTCARD_REFUSALS = {
  batchClosed: 'この束はすでに締められています。',
  noPostcards: 'このキャンペーンでは、はがきを受け付けていません。',
  closeCountMismatch: (keyed: number, physical: number) =>
    `入力済みの ${keyed} 枚が実枚数 ${physical} 枚と一致しないため、締められません。`,
  closeSecondKeyingIncomplete: (keyed: number, physical: number) =>
    `2回目の入力が ${keyed} / ${physical} 枚です。すべて入力してから締めてください。`,
  countBelowKeyed: (maxSeq: number) =>
    `すでに ${maxSeq} 番まで入力されています。それより少なくはできません。`,
  countBelowKeyedField: '入力済みの枚数より少なくはできません。',
  countFixedBySecondKeying: '2回目の入力が始まった束の実枚数は変えられません。',
  seqTaken: (seq: number) => `はがき ${seq} 番はすでに入力されています。次のはがきから続けてください。`,
  seqBeyondCount: (seq: number, physical: number) =>
    `番号 ${seq} はこの束の枚数（${physical} 枚）を超えています。`,
  notKeyedTwice: 'この束は2回入力の束ではありません。',
  firstKeyingOpen: '1回目の入力がまだ終わっていません。画面を開き直してください。',
  csvFirstKeyingOnly: 'CSV で取り込めるのは1回目の入力だけです。この束の1回目の入力は終わっています。',
  followupDone: 'このはがきは対応済みか、要確認ではありません。',
  readingsOnlyForMismatch: '読み取りを選べるのは、2回の入力が一致しなかったはがきだけです。',
  readingsIncomplete: '2回分の入力がそろっていません。',
} as const;

/** The entry screen and the OCR upload. */
export const BATCH_PAGE = {
  allKeyed: 'この束のはがきはすべて入力済みです。',
  chooseFile: 'CSV ファイルを選んでください。',
  fileTooLarge: (mb: number) => `ファイルが大きすぎます（${mb}MB まで）。分けてアップロードしてください。`,
  oneFileOnly: 'ファイルは「file」欄に1つだけ選んでください。',
  fileUnreadable: 'アップロードされたファイルを読み取れませんでした。もう一度お試しください。',
} as const;

/** The report of an OCR file: why a row was left out, or the file as a whole refused. */
export const CSV_REPORT = {
  seqTaken: (seq: number) => `seq: ${seq} 番はすでに入力されています。`,
  seqRepeated: (seq: number, line: number) => `seq: ${seq} 番は ${line} 行目と重複しています。`,
  beyondCount: (physical: number) => `seq: 束の実枚数（${physical} 枚）を超えています。`,
  sameFileAccepted: (seq: number) => `同じファイルの ${seq} 番ですでに受け付けました。`,
  fileError: (line: number, reason: string) => `${line} 行目: ${reason}`,
  empty: 'ファイルが空です。',
  headerOnly: 'データ行がありません（見出し行だけです）。',
} as const;
