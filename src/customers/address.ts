import { blockNumbersToDigits } from './address-numerals.js';
import { placeNameEnd } from './address-places.js';
import { DASH_CLASS } from './normalise.js';

/**
 * The one address normaliser: the customer CSV import and the customer's address form store an
 * address in the same form, so the same address typed either way is the same text.
 *
 * - NFKC (full-width digits and letters → ASCII, half-width kana → full-width), spaces collapsed;
 * - every dash between two numbers → "-" (１ー２, 1−2, 1 – 2 → 1-2);
 * - kanji block numbers → ASCII digits, suffixes kept: 霞が関一丁目一番一号 → 霞が関1丁目1番1号,
 *   二十三番地 → 23番地. Place names with numeral kanji (一宮市, 四日市市, 一番町, 十余二) stay as they
 *   are (address-numerals.ts and address-places.ts).
 *
 * Idempotent: normaliseAddress(normaliseAddress(s)) === normaliseAddress(s).
 */
export function normaliseAddress(raw: string): string {
  const s = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim().replace(NUMBER_DASH, '-');
  return blockNumbersToDigits(s, placeNameEnd(s)).replace(NUMBER_DASH, '-');
}

const NUMERAL = '[0-9〇一二三四五六七八九十百千]';
const NUMBER_DASH = new RegExp(`(?<=${NUMERAL}) ?(?:-|${DASH_CLASS}) ?(?=${NUMERAL})`, 'gu');

/** The 47 prefectures (都道府県), north to south, as Japan Post and addresses write them. */
export const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

/** The prefecture a (normalised) address starts with, or null when it starts with none. */
export function prefectureOf(address: string): Prefecture | null {
  const s = address.trimStart();
  return PREFECTURES.find((p) => s.startsWith(p)) ?? null;
}
