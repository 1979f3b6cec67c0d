import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  REGISTRATION_CODE_LENGTH,
  checkCharacterFor,
  formatForPrint,
  generateLoginKey,
  generateRegistrationCode,
  isValidRegistrationCode,
  isWellFormedLoginKey,
  normaliseCodeInput,
} from '../src/customers/codes.js';

const alphabetChar = fc.constantFrom(...CODE_ALPHABET);
const codeBody = fc.string({ unit: alphabetChar, minLength: 11, maxLength: 11 });
const validCode = codeBody.map((b) => b + checkCharacterFor(b));

describe('registration codes', () => {
  it('when generated, then they are valid, 12 characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 1000; i++) {
      const code = generateRegistrationCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
      expect(isValidRegistrationCode(code)).toBe(true);
    }
  });

  it('when the alphabet is inspected, then it has no 0, O, 1, I or L and a prime length', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(CODE_ALPHABET.length).toBe(31);
  });

  test.prop([validCode, fc.nat({ max: REGISTRATION_CODE_LENGTH - 1 }), alphabetChar])(
    'when any single character is changed, then the check digit rejects it',
    (code, pos, replacement) => {
      fc.pre(code[pos] !== replacement);
      const broken = code.slice(0, pos) + replacement + code.slice(pos + 1);
      expect(isValidRegistrationCode(broken)).toBe(false);
    },
  );

  test.prop([validCode, fc.nat({ max: REGISTRATION_CODE_LENGTH - 2 })])(
    'when two adjacent characters are swapped, then the check digit rejects it',
    (code, pos) => {
      fc.pre(code[pos] !== code[pos + 1]);
      const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
      expect(isValidRegistrationCode(swapped)).toBe(false);
    },
  );

  it('when every single substitution of one code is tried exhaustively, then none passes', () => {
    const code = generateRegistrationCode();
    for (let pos = 0; pos < code.length; pos++) {
      for (const c of CODE_ALPHABET) {
        if (c === code[pos]) continue;
        expect(isValidRegistrationCode(code.slice(0, pos) + c + code.slice(pos + 1))).toBe(false);
      }
    }
  });
});

describe('normalising what customers type', () => {
  const toFullWidth = (s: string) =>
    [...s].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
  const separators = fc.constantFrom('', ' ', '-', '－', '　', 'ー', '‐', '−');

  test.prop([validCode, fc.array(separators, { minLength: 12, maxLength: 12 }), fc.boolean(), fc.boolean()])(
    'when a code is typed full-width, lower case, with spaces or hyphens, then it normalises to itself',
    (code, seps, fullWidth, lower) => {
      let typed = [...code].map((c, i) => c + seps[i]).join('');
      if (lower) typed = typed.toLowerCase();
      if (fullWidth) typed = toFullWidth(typed.replace(/[^0-9A-Za-z]/g, ''));
      expect(normaliseCodeInput(typed)).toBe(code);
    },
  );

  test.prop([fc.string()])('when any string is normalised, then normalising again changes nothing', (s) => {
    const once = normaliseCodeInput(s);
    expect(normaliseCodeInput(once)).toBe(once);
  });

  it('when printed, then a code is grouped by four', () => {
    expect(formatForPrint('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
  });

  it('when a login key is generated, then it is well formed and carries at least 50 bits', () => {
    const key = generateLoginKey();
    expect(isWellFormedLoginKey(key)).toBe(true);
    expect(key.length * Math.log2(CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
  });
});
