/**
 * Normalisers for what people and spreadsheets type: the customer CSV import and the customer's
 * own web form use the same ones, so both accept exactly the same spellings.
 */
// Every dash a person, an IME or a spreadsheet might put between digits (hyphens, minus signs, en
// and em dashes, the katakana long-vowel mark, box-drawing lines, full-, half-width and small forms).
export const DASH_CLASS =
  '[\\u2010-\\u2015\\u2043\\u2212\\u02d7\\u2e3a\\u2e3b\\u2500\\u30fc\\ufe58\\ufe63\\uff0d\\uff70]';
const DASHES = new RegExp(DASH_CLASS, 'gu');
// Any C0/C1 control character (tab, newline …): they break the print file and the letter layout.
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * A Japanese postal code as people write it: "100-0004", "1000004", "〒100-0004", full-width digits
 * ("１００－０００４"), any dash between the two groups, spaces around it all → "1000004" (7 ASCII
 * digits); anything else → null.
 */
export function normalisePostalCode(raw: string): string | null {
  const s = raw
    .normalize('NFKC')
    .replace(DASHES, '-')
    .trim()
    .replace(/^〒\s*/u, '');
  const m = /^(\d{3})-?(\d{4})$/.exec(s);
  return m ? m[1]! + m[2]! : null;
}

/** NFKC, dashes unified to "-", spaces removed; domestic numbers of 10–11 digits starting with 0. */
export function normalisePhone(raw: string): string | null {
  const s = raw.normalize('NFKC').replace(DASHES, '-').replace(/\s+/gu, '');
  if (!/^\d+(?:-\d+)*$/.test(s)) return null;
  const digits = s.replaceAll('-', '');
  return digits.startsWith('0') && digits.length >= 10 && digits.length <= 11 ? s : null;
}

/** The form used to recognise one person twice: NFKC and no whitespace at all. */
export const normaliseForDigest = (s: string): string => s.normalize('NFKC').replace(/\s+/gu, '');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  // Arithmetic, not a Date per call: an import checks millions of these.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}
