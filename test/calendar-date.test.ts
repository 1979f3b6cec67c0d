import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../src/customers/normalise.js';

/** The arithmetic check agrees with the calendar (a Date round trip) on every string shaped like a date. */
const byDate = (s: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('isCalendarDate', () => {
  it('agrees with a Date round trip for years 1000–9999, months 0–13, days 0–32', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(isCalendarDate(s)).toBe(byDate(s));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('knows leap years and refuses what is not a date', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-04-31')).toBe(false);
    for (const s of ['2023-1-01', '２０２３-01-01', '2023/01/01', ' 2023-01-01', '2023-01-01x', ''])
      expect(isCalendarDate(s)).toBe(false);
  });
});
