import COMMON_PASSWORDS from './common-passwords.json' with { type: 'json' };

/**
 * Staff passwords after NIST SP 800-63B: at least 12 characters, at most 128 (so a passphrase or a
 * password manager's output fits), any characters, no composition rules, checked against common
 * passwords. Lengths count Unicode code points; the password is used exactly as typed.
 *
 * common-passwords.json: the 10,000 most frequent entries (4+ characters) and every entry of 12+
 * characters of the 49,233-password frequency list shipped by @zxcvbn-ts/language-common 4.1.3
 * (MIT; Dropbox's zxcvbn lists), lower-cased. A short common password cannot be used as it is
 * (it is under 12 characters), so each candidate is also checked with digits and symbols stripped
 * from its ends and as a repeated unit: "password1234", "!!iloveyou!!", "qwertyqwerty".
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON: ReadonlySet<string> = new Set(COMMON_PASSWORDS as string[]);

/** Words tied to this service that no password may contain (ASVS 5.0 V6.2.11). */
const CONTEXT_WORDS = ['owabi', 'ｏｗａｂｉ', 'おわび', 'お詫び'];

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'context';

const length = (s: string) => [...s].length;

// ASCII digits, spaces and symbols, as people pad a word with them ("password123!").
const PAD_START = /^[0-9\s!-/:-@[-`{-~]+/u;
const PAD_END = /[0-9\s!-/:-@[-`{-~]+$/u;

/** The password, lower-cased, and what is left of it without padding or repetition. */
function cores(lower: string): string[] {
  const out = new Set([
    lower,
    lower.replace(PAD_START, '').replace(PAD_END, ''),
    lower.replace(PAD_END, ''),
    lower.replace(PAD_START, ''),
  ]);
  for (const s of [...out]) {
    const unit = /^(.+?)\1+$/su.exec(s)?.[1];
    if (unit) out.add(unit);
  }
  out.delete('');
  return [...out];
}

/** A repetition of a few characters ("aaaaaaaaaaaa", "abcabcabcabc") is as weak as a listed word. */
const trivial = (s: string) => /^(.{1,4})\1+$/su.test(s);

export function isCommonPassword(password: string): boolean {
  return cores(password.toLowerCase()).some((c) => COMMON.has(c) || trivial(c));
}

export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  const n = length(password);
  if (n < PASSWORD_MIN_LENGTH) return 'too_short';
  if (n > PASSWORD_MAX_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (username && username.length >= 3 && lower.includes(username.toLowerCase())) return 'context';
  if (CONTEXT_WORDS.some((w) => lower.includes(w))) return 'context';
  if (isCommonPassword(password)) return 'common';
  return null;
}
