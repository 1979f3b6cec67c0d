import type { ChartSeries } from './charts.js';
import type { RedemptionDayRow } from './reports.repo.js';

/** Turning the reports' per-day rows into chart series: one value per day, quiet days as zero. */

/** Every day from the first to the last, so that quiet days show as zero rather than vanish. */
export function dayRange(days: Iterable<string>): string[] {
  const sorted = [...new Set(days)].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  if (sorted.length === 0) return [];
  const out: string[] = [];
  const last = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  for (let t = Date.parse(`${sorted[0]}T00:00:00Z`); t <= last; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export const sumBy = (rows: RedemptionDayRow[], pick: (r: RedemptionDayRow) => boolean) =>
  rows.reduce((n, r) => n + (pick(r) ? r.n : 0), 0);

export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A series per key, a value per day. */
export function perDay(
  days: string[],
  rows: RedemptionDayRow[],
  keys: { key: string; label: string }[],
  keyOf: (r: RedemptionDayRow) => string | null,
): ChartSeries[] {
  const index = new Map(days.map((d, i) => [d, i]));
  return keys.map(({ key, label }) => {
    const values = days.map(() => 0);
    for (const r of rows) if (keyOf(r) === key) values[index.get(r.day)!]! += r.n;
    return { label, values };
  });
}

/** Values per day from rows that have at most one per day. */
export function onDays<R extends { day: string }>(
  days: string[],
  rows: R[],
  value: (r: R) => number,
): number[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const values = days.map(() => 0);
  for (const r of rows) values[index.get(r.day)!] = value(r);
  return values;
}

/** Known keys in the campaign's order, then any the data has that the definition no longer lists. */
export function keysFor(known: { key: string; label: string }[], seen: (string | null)[]) {
  const out = [...known];
  for (const k of seen) if (k !== null && !out.some((o) => o.key === k)) out.push({ key: k, label: k });
  return out;
}

export const cumulative = (values: readonly number[]) => {
  let total = 0;
  return values.map((v) => (total += v));
};
