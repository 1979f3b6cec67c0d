import { isValidRegistrationCode } from '../customers/codes.js';
import { jstDay } from '../platform/jst.js';
import type { Channel, DataChoice } from '../redemption/redemption.table.js';

/**
 * What a returned postcard says and what becomes of it: pure rules, no database. The same rules
 * decide a card keyed by hand, a row of an OCR file and a resolved mismatch.
 */

/** Boxes a card can have ticked. E-money is not on the card, but a customer may write it in. */
export const GIFT_TICKS = ['book_card', 'donation', 'emoney'] as const;
export type GiftTick = (typeof GIFT_TICKS)[number];
export const DATA_TICKS = ['erasure', 'marketing_optout'] as const;
export type DataTick = (typeof DATA_TICKS)[number];

export const GIFT_LABELS: Record<GiftTick, string> = {
  book_card: '図書カード',
  donation: '寄付',
  emoney: '電子マネー',
};
export const DATA_LABELS: Record<DataTick, string> = {
  erasure: '個人情報の消去',
  marketing_optout: 'DM・営業の停止',
};

/** One reading of one card, normalised: two readings of the same card compare equal. */
export interface CardReading {
  code: string;
  gifts: GiftTick[];
  data: DataTick[];
  /** YYYY-MM-DD */
  postmarkDate: string;
}

export function makeReading(
  code: string,
  gifts: Iterable<GiftTick>,
  data: Iterable<DataTick>,
  postmarkDate: string,
): CardReading {
  return {
    code,
    gifts: GIFT_TICKS.filter((g) => new Set(gifts).has(g)),
    data: DATA_TICKS.filter((d) => new Set(data).has(d)),
    postmarkDate,
  };
}

/** The entry's data_choice column: what the card says, including the invalid "both". */
export function encodeDataTicks(data: readonly DataTick[]): string {
  return data.length === 0 ? 'none' : data.join('+');
}

export function decodeDataTicks(value: string | null): DataTick[] {
  if (!value || value === 'none') return [];
  return DATA_TICKS.filter((d) => value.split('+').includes(d));
}

/** What the database knows about the code on the card. */
export type CardHolderFacts =
  | { status: 'malformed' }
  | { status: 'unknown' }
  | {
      status: 'known';
      customerId: string;
      erasureRequestedBefore: boolean;
      erased: boolean;
      redemption: { id: string; channel: Channel; redeemedAt: Date } | null;
    };

export interface CampaignRules {
  /** Last day of the procedure (YYYY-MM-DD, JST): a postmark after it is late. */
  deadlineDay: string;
  bookCard: boolean;
  donation: boolean;
}

export type Decision =
  | { outcome: 'accepted'; option: 'book_card' | 'donation'; dataChoice: DataChoice; reason: null }
  | { outcome: 'duplicate' | 'late' | 'invalid'; reason: string };

export { jstDay };

const CHANNEL_LABELS: Record<Channel, string> = { web: 'Web', postcard: 'はがき' };

export const duplicateReason = (r: { channel: Channel; redeemedAt: Date }) =>
  `すでにお手続き済みです（${CHANNEL_LABELS[r.channel]}・${jstDay(r.redeemedAt)}）。先のお手続きが有効です。`;

export const REASONS = {
  malformed: '登録コードの形式またはチェック文字が正しくありません（読み違いの可能性があります）。',
  unknown: '登録コードがこのキャンペーンに見つかりません。',
  erased: 'このお客様の個人情報はすでに消去されています。',
  emoney: '電子マネーに印があります（はがきでは選べません）。',
  noGift: 'お詫びの品に印がありません。',
  twoGifts: 'お詫びの品に2つ以上の印があります。',
  disabled: '印のあるお詫びの品は、このキャンペーンでは選べません。',
  bothData: '「個人情報の消去」と「DM・営業の停止」の両方に印があります。',
} as const;

export const lateReason = (postmark: string, deadline: string) =>
  `消印日 ${postmark} が受付期限 ${deadline} より後です。`;

export const codeStatusOf = (code: string): 'malformed' | 'wellformed' =>
  isValidRegistrationCode(code) ? 'wellformed' : 'malformed';

/**
 * The outcome of a card. Order matters: a code that leads nowhere is invalid; an earlier
 * redemption stands whatever the card says (duplicate: the sender is told so); then the postmark:
 * a card postmarked after the deadline is late whatever else is true of it, even when its holder's
 * data was erased on request meanwhile (it used to be "invalid, erased", which sent a card nobody
 * could act on to the follow-up queue instead of recording it as late); then what is ticked.
 */
export function decideCard(reading: CardReading, holder: CardHolderFacts, rules: CampaignRules): Decision {
  if (holder.status === 'malformed') return { outcome: 'invalid', reason: REASONS.malformed };
  if (holder.status === 'unknown') return { outcome: 'invalid', reason: REASONS.unknown };
  if (holder.redemption) return { outcome: 'duplicate', reason: duplicateReason(holder.redemption) };
  if (reading.postmarkDate > rules.deadlineDay)
    return { outcome: 'late', reason: lateReason(reading.postmarkDate, rules.deadlineDay) };
  if (holder.erased) return { outcome: 'invalid', reason: REASONS.erased };
  if (reading.gifts.includes('emoney')) return { outcome: 'invalid', reason: REASONS.emoney };
  if (reading.gifts.length === 0) return { outcome: 'invalid', reason: REASONS.noGift };
  if (reading.gifts.length > 1) return { outcome: 'invalid', reason: REASONS.twoGifts };
  const option = reading.gifts[0] as 'book_card' | 'donation';
  if (!(option === 'book_card' ? rules.bookCard : rules.donation))
    return { outcome: 'invalid', reason: REASONS.disabled };
  if (reading.data.length > 1) return { outcome: 'invalid', reason: REASONS.bothData };
  const dataChoice: DataChoice = holder.erasureRequestedBefore ? 'erasure' : (reading.data[0] ?? 'none');
  return { outcome: 'accepted', option, dataChoice, reason: null };
}

/** Which parts of two readings of one card differ (labels for the follow-up queue). */
export function readingDifferences(a: CardReading, b: CardReading): string[] {
  const diffs: string[] = [];
  if (a.code !== b.code) diffs.push('登録コード');
  if (a.gifts.join() !== b.gifts.join()) diffs.push('お詫びの品');
  if (a.data.join() !== b.data.join()) diffs.push('個人情報の取扱い');
  if (a.postmarkDate !== b.postmarkDate) diffs.push('消印日');
  return diffs;
}

export const mismatchReason = (diffs: string[]) => `2回の入力が一致しません（${diffs.join('・')}）。`;
