/**
 * Kanji numerals as Japanese addresses write block numbers: 一丁目一番一号, 二十三番地, 一〇五号.
 * Only the numbers of the block part are read; place names that contain numeral kanji (一宮市,
 * 四日市市, 八王子市, 千代田区, 一番町, 麻布十番, 八丁堀) are never touched.
 */
const DIGIT: Readonly<Record<string, number>> = {
  〇: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** A run of numeral kanji: digits (〇一…九) and the units 十百千. */
export const KANJI_NUMERAL_RUN = /[〇一二三四五六七八九十百千]+/gu;

/**
 * "二十三" → 23, "千二百三十四" → 1234, "十" → 10, "一〇五" → 105 (digit by digit); null for what is
 * not one well-formed number below 10,000 ("十十", "三千千", "一十〇").
 */
export function parseKanjiNumber(s: string): number | null {
  if (s === '') return null;
  if ([...s].every((ch) => ch in DIGIT)) {
    return s.length > 4 ? null : Number([...s].map((ch) => DIGIT[ch]).join(''));
  }
  let total = 0;
  let pending: number | null = null;
  let lastUnit = Infinity;
  for (const ch of s) {
    const d = DIGIT[ch];
    if (d !== undefined) {
      if (pending !== null || d === 0) return null; // "二三十", "〇十"
      pending = d;
      continue;
    }
    const unit = UNIT[ch]!;
    if (unit >= lastUnit) return null; // units strictly descending: "十百", "十十"
    if (pending === 1) return null; // written 十, 百, 千 — not 一十
    total += (pending ?? 1) * unit;
    pending = null;
    lastUnit = unit;
  }
  return total + (pending ?? 0);
}

/** The inverse, in the usual spelling (23 → 二十三, 1005 → 千五): what people write. */
export function toKanjiNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`not 1–9999: ${n}`);
  const digits = '〇一二三四五六七八九';
  let out = '';
  for (const [unit, mark] of [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ] as const) {
    const k = Math.floor(n / unit) % 10;
    if (k > 0) out += (k === 1 ? '' : digits[k]) + mark;
  }
  return out + (n % 10 > 0 ? digits[n % 10] : '');
}

const NUM = '[0-9〇一二三四五六七八九十百千]';
/** What follows a number that is always a block number: 一丁目, 二十三番地, 一番一号, 一-五. */
const BLOCK_NUMBER_BEFORE = new RegExp(`^(?:丁目|番地|番\\s*${NUM}+\\s*号|-${NUM})`, 'u');
// 番 alone is often part of a place (一番町, 麻布十番), 号 alone too (三号線): those count only after
// a block number, right after it (left context, already normalised): 3丁目 三号館 stays.
const AFTER_CHOME = /丁目$/u;
const AFTER_BLOCK_NUMBER = /[0-9](?:番地の?|番|-)$/u;
/** Right context that ends a block number: a dash, 番/号, の + number, a space or the end. */
const ENDS_NUMBER = new RegExp(`^(?:$|[\\s\\-,、.()（）]|番(?![町丁街])|号|の${NUM})`, 'u');

function isBlockNumber(before: string, after: string): boolean {
  if (BLOCK_NUMBER_BEFORE.test(after)) return true;
  const inBlockPart = AFTER_CHOME.test(before) || AFTER_BLOCK_NUMBER.test(before);
  return inBlockPart && ENDS_NUMBER.test(after);
}

/**
 * Every kanji number of the block part as ASCII digits; everything else as it was. Nothing before
 * `from` is read as a number (the end of a place name that itself ends in a numeral, e.g. 十余二).
 */
export function blockNumbersToDigits(s: string, from = 0): string {
  let out = s.slice(0, from);
  let at = from;
  for (const m of s.slice(from).matchAll(KANJI_NUMERAL_RUN)) {
    const start = from + m.index;
    out += s.slice(at, start);
    at = start + m[0].length;
    const n = parseKanjiNumber(m[0]);
    out += n !== null && isBlockNumber(out, s.slice(at)) ? String(n) : m[0];
  }
  return out + s.slice(at);
}
