import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { demoCampaignDefinition } from '../dev/demo/demo-campaign.js';
import { placesOf } from '../src/customers/address-lookup.js';
import { normalisePostalCode } from '../src/customers/normalise.js';
import { customerRowSchema } from '../src/imports/customer-csv.schema.js';
import { parseChoice } from '../src/redemption/redemption.schema.js';

/**
 * One postal-code normaliser for the customer's web form and the customer CSV import: every usual
 * spelling becomes 7 ASCII digits, anything else is refused, and both doors agree on every input.
 */

const ASCII_DIGITS = '0123456789';
const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...ASCII_DIGITS), minLength: n, maxLength: n });
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

// Hyphen-minus, the katakana long-vowel mark (full and half width), minus signs, hyphens, figure,
// en and em dashes, the horizontal bar, full-width and small hyphen-minus, hyphen bullet, box line.
const DASHES = ['-', 'ー', 'ｰ', '−', '˗', '‐', '‑', '‒', '–', '—', '―', '－', '﹣', '﹘', '⁃', '─'];

/** Every spelling a person or a spreadsheet uses, with the 7 digits it stands for. */
const spelling = fc
  .record({
    head: digits(3),
    tail: digits(4),
    dash: fc.constantFrom('', ...DASHES),
    wide: fc.boolean(),
    mark: fc.constantFrom('', '〒', '〒 ', '〒　'),
    pad: fc.constantFrom('', ' ', '　'),
  })
  .map(({ head, tail, dash, wide, mark, pad }) => ({
    typed: `${pad}${mark}${wide ? fullWidth(head) : head}${dash}${wide ? fullWidth(tail) : tail}${pad}`,
    code: head + tail,
  }));

/** An accepted spelling with one stray character put in anywhere: never a postal code. */
const corrupted = fc
  .tuple(spelling, fc.nat(), fc.constantFrom('x', 'A', 'あ', '.', '_', '/', '#', '+', '〜', '٣', '0'))
  .map(([{ typed }, at, stray]) => {
    const i = at % (typed.length + 1);
    return typed.slice(0, i) + stray + typed.slice(i);
  });

const WEB_FORM = { option: 'book_card', dataChoice: 'none', addressAction: 'correct' };
/** An address in the postal code's own prefecture (another one is refused: test/address-form). */
const addressFor = (postalCode: string) => {
  const code = normalisePostalCode(postalCode);
  const prefecture = (code && placesOf(code)[0]?.prefecture) ?? '東京都';
  return `${prefecture}千代田区大手町1-1-1`;
};
const def = demoCampaignDefinition(new Date(), 'postal');
const importField = customerRowSchema([]).shape.postal_code;

/** What the customer's web form makes of a postal code: the stored 7 digits, or null when refused. */
function viaWebForm(postalCode: string): string | null {
  const parsed = parseChoice(def, { ...WEB_FORM, postalCode, address: addressFor(postalCode) }, false);
  if (!parsed.ok) {
    expect(parsed.errors.postalCode).toBeDefined();
    return null;
  }
  return parsed.choice.option === 'book_card' ? (parsed.choice.shipping?.postalCode ?? null) : null;
}

function viaImport(postalCode: string): string | null {
  const parsed = importField.safeParse(postalCode);
  return parsed.success ? parsed.data : null;
}

describe('postal codes', () => {
  it.each([
    '〒100-0004',
    '100-0004',
    '1000004',
    '１００－０００４',
    '〒１００ー０００４',
    '100ー0004',
    '100−0004',
    '100‐0004',
    '100–0004',
    '100—0004',
    '100－0004',
    ' 〒 100-0004　',
  ])('when "%s" is given, then both the web form and the import store 1000004', (typed) => {
    expect(normalisePostalCode(typed)).toBe('1000004');
    expect(viaWebForm(typed)).toBe('1000004');
    expect(viaImport(typed)).toBe('1000004');
  });

  it.each([
    '',
    '〒',
    '100-000',
    '10-00004',
    '1000-004',
    '100--0004',
    '100 0004',
    '100-0004-',
    '12345678',
    '100_0004',
    '100.0004',
    '１００ー０００',
    '٣٣٣-٤٤٤٤',
    '100-0004 東京都',
    '〒〒100-0004',
  ])('when "%s" is given, then both the web form and the import refuse it', (typed) => {
    expect(normalisePostalCode(typed)).toBeNull();
    expect(viaWebForm(typed)).toBeNull();
    expect(viaImport(typed)).toBeNull();
  });

  test.prop([spelling])(
    'when a postal code is written any usual way, then it normalises to its 7 ASCII digits',
    ({ typed, code }) => {
      const normalised = normalisePostalCode(typed);
      expect(normalised).toBe(code);
      expect(normalised).toMatch(/^[0-9]{7}$/);
      expect(normalisePostalCode(normalised!)).toBe(normalised);
    },
  );

  test.prop([corrupted])('when a stray character is in it, then it is refused', (typed) => {
    expect(normalisePostalCode(typed)).toBeNull();
  });

  test.prop([fc.integer({ min: 0, max: 12 }).filter((n) => n !== 7), fc.constantFrom('', '-', 'ー')])(
    'when it has other than 7 digits, then it is refused',
    (n, dash) => {
      const typed = '1'.repeat(n).replace(/^(\d{3})/, `$1${dash}`);
      expect(normalisePostalCode(typed)).toBeNull();
    },
  );

  // The web form takes at most 20 characters; within that, any input at all.
  test.prop([
    fc.oneof(
      spelling.map((s) => s.typed),
      corrupted,
      fc.string({ maxLength: 20 }),
    ),
  ])(
    'when anything is typed, then the web form and the import accept and store exactly the same',
    (typed) => {
      const expected = normalisePostalCode(typed);
      expect(viaWebForm(typed)).toBe(expected);
      expect(viaImport(typed)).toBe(expected);
    },
  );
});
