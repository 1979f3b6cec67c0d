import { createHmac, createSecretKey } from 'node:crypto';
import { formatForPrint } from '../customers/codes.js';
import { CSV_BOM, csvLine } from '../platform/csv.js';
import type { CustomerRow } from './customer-csv.schema.js';

/**
 * A validated row, ready for the staging COPY and the letter: just the strings, so a batch stays
 * small in memory. Lives only for one batch. The registration code is kept apart so that a
 * collision can be retried with a fresh one.
 */
export interface PreparedRow {
  line: number;
  registrationCode: string;
  /** COPY text after the line number and the code (hashes, data), newline included. */
  copyTail: string;
  /** The letter after the registration code: holds the login key in plain text, never logged. */
  letterTail: string;
  /** Keyed hash (hex) of the token in the letter's verification address. */
  letterTokenHashHex: string;
}

/**
 * Same result as keyedHash(pepper, value) (HMAC-SHA256 keyed with the pepper's UTF-8 bytes), as
 * hex, with the key imported once instead of per call.
 */
export function keyedHexHasher(pepper: string): (value: string) => string {
  const key = createSecretKey(Buffer.from(pepper, 'utf8'));
  return (value) => createHmac('sha256', key).update(value).digest('hex');
}

/** Columns of the staging table filled by COPY, in this order. */
export const STAGING_COPY_COLUMNS = [
  'line',
  'registration_code',
  'login_key_hash',
  'source_ref_hash',
  'person_digest',
  'lost_letter_digest',
  'leaked_items',
  'erasure_requested_before',
  'full_name',
  'full_name_kana',
  'birth_date',
  'postal_code',
  'address',
  'phone',
  'email',
  'household',
  'customer_ref',
] as const;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** A value in PostgreSQL's COPY text format. */
export function copyValue(v: string | null): string {
  if (v === null) return '\\N';
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

export const copyBytea = (hex: string) => `\\\\x${hex}`;

export interface RowSecrets {
  loginKey: string;
  loginKeyHashHex: string;
  sourceRefHashHex: string;
  personDigestHex: string;
  /** Of kana name, birth date and postal code (the lost-letter search); null when one is missing. */
  lostLetterDigestHex: string | null;
}

/** The staging row as COPY text, minus its first two columns (line, registration code). */
export function toCopyTail(r: CustomerRow, s: RowSecrets): string {
  // Leaked-item keys are [a-z0-9_]+ (campaign schema); quoted so that a key like "null" stays text.
  const leaked = `{${r.leaked_items.map((k) => `"${k}"`).join(',')}}`;
  return (
    [
      copyBytea(s.loginKeyHashHex),
      copyBytea(s.sourceRefHashHex),
      copyBytea(s.personDigestHex),
      s.lostLetterDigestHex === null ? '\\N' : copyBytea(s.lostLetterDigestHex),
      leaked,
      r.erasure_requested_before ? 't' : 'f',
      copyValue(r.full_name),
      copyValue(r.full_name_kana),
      copyValue(r.birth_date),
      r.postal_code,
      copyValue(r.address),
      copyValue(r.phone),
      copyValue(r.email),
      copyValue(JSON.stringify(r.household)),
      copyValue(r.customer_ref),
    ].join('\t') + '\n'
  );
}

export const toCopyLine = (p: PreparedRow): string => `${p.line}\t${p.registrationCode}\t${p.copyTail}`;

/** The letter print file's columns, in order. */
export const LETTER_COLUMNS = [
  'registration_code',
  'login_key',
  'full_name',
  'postal_code',
  'address',
  'household_count',
  'verification_url',
] as const;

/**
 * The letter print file's first bytes: the BOM and the header (the service's CSV writer, so the
 * print vendor's Excel shows the names, not mojibake). Readers drop the BOM (the import's csvRecords does).
 */
export const LETTER_HEADER = CSV_BOM + csvLine(LETTER_COLUMNS);

/**
 * The letter print file's line after the registration code. The name and the address go through
 * the formula guard (a customer's own text); the keys, the postal code, the count and the
 * verification address (printed as the letter's QR code) never start with a guarded character.
 */
export function toLetterTail(
  r: Pick<CustomerRow, 'full_name' | 'postal_code' | 'address'> & { household: { length: number } },
  loginKey: string,
  verificationUrl: string,
): string {
  return csvLine([
    formatForPrint(loginKey),
    r.full_name,
    `${r.postal_code.slice(0, 3)}-${r.postal_code.slice(3)}`,
    r.address,
    String(r.household.length),
    verificationUrl,
  ]);
}

/**
 * One line of the letter print file: the only place a login key is ever written in plain text. The
 * registration code is letters, digits and hyphens: nothing to quote or guard.
 */
export const toLetterLine = (p: PreparedRow): string =>
  `${formatForPrint(p.registrationCode)},${p.letterTail}`;
