import { formatForPrint } from '../../customers/codes.js';

const jst = (d: Date, opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', ...opts }).format(d);

/** Available in every template. */
export const viewHelpers = {
  yen: (n: number) => `${n.toLocaleString('ja-JP')}円`,
  jstDate: (d: Date) => jst(d, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
  jstDateTime: (d: Date) =>
    jst(d, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
  printCode: formatForPrint,
  postal: (pc: string) => (/^\d{7}$/.test(pc) ? `〒${pc.slice(0, 3)}-${pc.slice(3)}` : pc),
};
