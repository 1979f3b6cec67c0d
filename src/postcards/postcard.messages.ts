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
