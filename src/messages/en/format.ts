import type { FORMAT_JA } from '../ja/format.js';

/** Amounts and dates as an English page writes them (always in Japan time, said so). */
const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  weekday: 'short',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const FORMAT_EN: typeof FORMAT_JA = {
  /** `¥500` */
  yen: (n) => `¥${n.toLocaleString('en-US')}`,
  /** `Wed, 1 April 2026` */
  date: (d) => dateFormat.format(d),
  /** `1 April 2026 at 09:30 (Japan time)` */
  dateTime: (d) => `${dateTimeFormat.format(d)} (Japan time)`,
};
