import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  changeableNow,
  decideChange,
  type ChangeState,
  type ChangeWish,
} from '../src/redemption/choice-change.rules.js';
import type { DataChoice, GiftOption } from '../src/redemption/redemption.table.js';

const option = fc.constantFrom<GiftOption>('emoney', 'book_card', 'donation');
const dataChoice = fc.constantFrom<DataChoice>('none', 'marketing_optout', 'erasure');
const state: fc.Arbitrary<ChangeState> = fc.record({
  option,
  dataChoice,
  // Mostly open and not erased: the interesting rules apply only then.
  open: fc.constantFrom(true, true, true, false),
  erased: fc.constantFrom(false, false, false, true),
  erasureRequestedBefore: fc.boolean(),
  batchCut: fc.boolean(),
  donationBooked: fc.boolean(),
  offered: fc.subarray<GiftOption>(['emoney', 'book_card', 'donation'], { minLength: 1 }),
});
const wish: fc.Arbitrary<ChangeWish> = fc.record(
  { option, dataChoice, addressChange: fc.boolean() },
  { requiredKeys: [] },
);

// Pure and fast: many runs, so that every combination of locks is met many times.
const many = { numRuns: 3000 };

describe('the rules of a change of mind', () => {
  test.prop([state, wish], many)('a granted change never breaks a lock', (s, w) => {
    const d = decideChange(s, w);
    if (!d.ok) return;
    expect(s.open && !s.erased).toBe(true);
    if (d.optionChanged) {
      expect([s.option, d.option].sort()).toEqual(['book_card', 'donation']);
      expect(s.offered).toContain(d.option);
      if (s.option === 'book_card') expect(s.batchCut).toBe(false);
      if (s.option === 'donation') expect(s.donationBooked).toBe(false);
    }
    if (w.addressChange) {
      expect(d.option).toBe('book_card');
      if (s.option === 'book_card') expect(s.batchCut).toBe(false);
    }
    if (d.dataChanged) {
      expect(d.dataChoice).not.toBe('none');
      expect(s.erasureRequestedBefore).toBe(false);
    }
    expect(d.optionChanged || d.dataChanged || w.addressChange).toBe(true);
  });

  test.prop([state, wish])(
    'a refused change names one reason, and asking for the same thing again gives the same answer',
    (s, w) => {
      const d = decideChange(s, w);
      expect(decideChange(s, w)).toEqual(d);
      if (!d.ok) expect(typeof d.refusal).toBe('string');
    },
  );

  test.prop([state], many)(
    'what the status page lists as changeable is exactly what would be granted',
    (s) => {
      const { options, dataChoices } = changeableNow(s);
      for (const o of ['book_card', 'donation'] as const) {
        if (o === s.option) continue;
        expect(options.includes(o)).toBe(decideChange(s, { option: o }).ok);
      }
      for (const dc of ['marketing_optout', 'erasure'] as const) {
        if (dc === s.dataChoice) continue;
        expect(dataChoices.includes(dc)).toBe(decideChange(s, { dataChoice: dc }).ok);
      }
    },
  );

  // The state machine: a customer's wishes applied one after another while fulfilment and erasure
  // move on (cut, booked, erased, closed never go back). E-money never changes; a data choice once
  // given is never withdrawn to 'none'; after a lock the locked gift stays.
  const event = fc.oneof(
    wish.map((w) => ({ kind: 'wish' as const, w })),
    fc.constantFrom('cut', 'book', 'erase', 'close').map((kind) => ({ kind })),
  );
  test.prop([state.filter((s) => s.open && !s.erased), fc.array(event, { maxLength: 30 })], many)(
    'walking the machine keeps its invariants',
    (start, events) => {
      let s = { ...start, batchCut: false, donationBooked: false };
      const first = s.option;
      let leftNone = s.dataChoice !== 'none';
      for (const e of events) {
        if (e.kind === 'cut' && s.option === 'book_card') s = { ...s, batchCut: true };
        else if (e.kind === 'book' && s.option === 'donation') s = { ...s, donationBooked: true };
        else if (e.kind === 'erase') s = { ...s, erased: true };
        else if (e.kind === 'close') s = { ...s, open: false };
        else if (e.kind === 'wish') {
          const before = s;
          const d = decideChange(s, e.w);
          if (d.ok) s = { ...s, option: d.option, dataChoice: d.dataChoice };
          if (before.batchCut && before.option === 'book_card') expect(s.option).toBe('book_card');
          if (before.donationBooked && before.option === 'donation') expect(s.option).toBe('donation');
          if (before.erased || !before.open) expect(s).toEqual(before);
        }
        if (first === 'emoney') expect(s.option).toBe('emoney');
        else expect(s.option).not.toBe('emoney');
        if (leftNone) expect(s.dataChoice).not.toBe('none');
        leftNone ||= s.dataChoice !== 'none';
        if (start.erasureRequestedBefore) expect(s.dataChoice).toBe(start.dataChoice);
      }
    },
  );
});
