/** Amounts and dates as a page in this language writes them (always in Japan time). */
const dateFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  weekday: 'short',
});
const dateTimeFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export const FORMAT_JA = {
  /** `500円` */
  yen: (n: number) => `${n.toLocaleString('ja-JP')}円`,
  /** `2026年4月1日(水)` */
  date: (d: Date) => dateFormat.format(d),
  /** `2026年4月1日 09:30` */
  dateTime: (d: Date) => dateTimeFormat.format(d),
};
