import type { PersonalDataKind } from './contact.messages.js';

/**
 * Refuses free text (a contact reason, a request or decision note) that looks like personal data:
 * an e-mail address, a phone number, a postal code, a long run of digits (account, card or
 * individual numbers), or — when the customer is known — their own name or its reading. What gets
 * through is a call reference and what was asked. Names in general cannot be recognised; these
 * checks catch the common slips, not a determined operator (the audit log names who wrote what).
 */

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]{2,}/u;
/** Digits, possibly split by hyphens, spaces, dots or brackets: 03-1234-5678, (090) 1234 5678. */
const DIGIT_GROUPS = /\+?\d(?:[\d\s\-.()]*\d)?/gu;
const POSTAL = /^\d{3}-\d{4}$/u;
const POSTAL_WORDS = /〒|郵便番号/u;
/** Long enough to be an account, card, phone or individual number, short enough for a call reference. */
const LONG_DIGITS = 10;

/** Full-width to half-width, every kind of hyphen to '-', katakana to hiragana. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‐‑‒–—―−ー－]/gu, '-')
    .replace(/[\u30a1-\u30f6]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
}

const compact = (text: string) =>
  normalise(text)
    .replace(/[\s\-・.]/gu, '')
    .toLowerCase();

function digitKind(text: string): PersonalDataKind | null {
  if (POSTAL_WORDS.test(text)) return 'postal';
  for (const m of text.matchAll(DIGIT_GROUPS)) {
    const group = m[0].trim();
    const digits = group.replace(/\D/g, '');
    if (POSTAL.test(group)) return 'postal';
    const phoneLike = group.startsWith('+81') || digits.startsWith('0');
    if (phoneLike && digits.length >= 10 && digits.length <= 12) return 'phone';
    if (digits.length >= LONG_DIGITS) return 'digits';
  }
  return null;
}

/**
 * The customer's name, its reading and each part of them of two characters or more (a one-letter
 * part would match ordinary words).
 */
export function nameCandidates(...names: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    const parts = name
      .split(/[\s\u3000]+/u)
      .map(compact)
      .filter(Boolean);
    const whole = parts.join('');
    if ([...whole].length >= 2) out.add(whole);
    for (const p of parts) if ([...p].length >= 2) out.add(p);
  }
  return [...out];
}

/** The first kind of personal data the text seems to hold, or null. */
export function findPersonalData(text: string, names: string[] = []): PersonalDataKind | null {
  const n = normalise(text);
  if (EMAIL.test(n)) return 'email';
  const digits = digitKind(n);
  if (digits) return digits;
  const flat = compact(text);
  if (names.some((name) => flat.includes(name))) return 'name';
  return null;
}
