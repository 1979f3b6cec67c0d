import { generateRegistrationCode, CODE_ALPHABET } from '../customers/codes.js';
import { lostLetterDigestInput, normaliseLostLetterKeys } from '../customers/lost-letter.js';
import { letterTokenHashInput } from '../letters/letter-token.js';
import { decodeCsvBlock, forEachCsvRecord } from '../platform/csv-records.js';
import {
  customerRowSchema,
  personDigestInput,
  sourceRefInput,
  type CustomerRow,
} from './customer-csv.schema.js';
import type { SharedPostalTable } from '../customers/postal-table.js';
import type { LetterLink } from './import.bulk-letters.js';
import { letterSecretsFor } from './import.derive.js';
import { CopyBytes } from './import.copy-bytes.js';
import { copyBytea, copyValue, keyedHexHasher } from './import.encoding.js';
import { validateRow, type HeaderIndex } from './import.rows.js';

/**
 * One block of the bulk import, worked out away from the main thread: rows checked, codes drawn,
 * keys derived and hashed, and the COPY text of the three tables written. Pure: the same function
 * runs in a worker thread (import.bulk-worker.ts) or inline (a file of one block, and tests).
 */
export interface BulkSetup {
  campaignId: string;
  leakedItemKeys: string[];
  header: HeaderIndex;
  pepper: string;
  secret: Buffer;
  /** When the letters' tokens count as issued (the run's start), as text PostgreSQL reads. */
  issuedAt: string;
  letterLink: LetterLink;
  /** The process's postal-code table: the threads read it instead of building their own. */
  postalTable: SharedPostalTable;
}

/** A block of whole records of the file, as bytes (csvBlocks), and ids for as many records as it may hold. */
export interface BulkBlockIn {
  bytes: Uint8Array;
  firstLine: number;
  /** Customer ids: record i gets ids[i] (a bad record's id stays unused). */
  ids: number[];
}

export interface BulkBlockOut {
  /** Records read (the rows of the report's rowsRead). */
  records: number;
  /** COPY text (UTF-8) of the three load tables. */
  customers: Uint8Array;
  personal: Uint8Array;
  tokens: Uint8Array;
  bad: { line: number; issues: { column: string; message: string }[] }[];
  warnings: { line: number; column: string; message: string }[];
  /** Per good row: its id and its line. */
  ids: Float64Array;
  lines: Int32Array;
  /** Per good row, six numbers: the code's, the customer reference's and the person's fingerprints. */
  fingerprints: Uint32Array;
}

const CODE_VALUE = new Map([...CODE_ALPHABET].map((c, i) => [c, i]));

/** The registration code as two exact numbers (6 + 6 characters in base 31 fit 32 bits each). */
export function codeFingerprint(code: string): [number, number] {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 6; i++) hi = hi * 31 + CODE_VALUE.get(code[i]!)!;
  for (let i = 6; i < 12; i++) lo = lo * 31 + CODE_VALUE.get(code[i]!)!;
  return [hi, lo];
}

/** The 32-bit number written by 8 hex digits of `hex` from `at`. */
function hexWord(hex: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 8; i++) {
    const c = hex.charCodeAt(i);
    v = v * 16 + (c <= 57 ? c - 48 : c - 87); // digits, then lower-case a–f (digest('hex'))
  }
  return v;
}

/**
 * A block of the file's bytes worked out: decoded and parsed here (off the reading thread), each
 * record worked out as it is read, so that it dies young (the collector never copies a block's
 * worth of parsed records).
 */
export function bulkBlockWorker(setup: BulkSetup) {
  const schema = customerRowSchema(setup.leakedItemKeys);
  const hash = keyedHexHasher(setup.pepper);
  const campaign = setup.campaignId;
  return (block: BulkBlockIn): BulkBlockOut => {
    const text = decodeCsvBlock(block.bytes, block.firstLine);
    const blockIds = block.ids;
    const out = { bad: [], warnings: [] } as Pick<BulkBlockOut, 'bad' | 'warnings'>;
    const customers = new CopyBytes();
    const personal = new CopyBytes();
    const tokens = new CopyBytes();
    const collector = {
      badRow: (line: number, issues: { column: string; message: string }[]) => out.bad.push({ line, issues }),
      addressWarning: (line: number, column: string, message: string) =>
        out.warnings.push({ line, column, message }),
    };
    // Typed arrays sized for the whole block: no per-row arrays for the collector to chase.
    const ids = new Float64Array(blockIds.length);
    const lines = new Int32Array(blockIds.length);
    const fps = new Uint32Array(blockIds.length * 6);
    let good = 0;
    let records = 0;
    forEachCsvRecord(text, block.firstLine, (rec, i) => {
      records++;
      const row = validateRow(rec, setup.header, schema, collector);
      if (!row) return;
      const id = blockIds[i]!;
      const code = generateRegistrationCode();
      const secrets = letterSecretsFor(setup.secret, id);
      const refHex = hash(sourceRefInput(row.customer_ref));
      const personHex = hash(personDigestInput(row));
      customers.add(customerLine(id, campaign, code, hash(secrets.loginKey), refHex, row));
      personal.add(personalLine(id, campaign, row, personHex, lostLetterHex(row, hash)));
      const tokenHex = hash(letterTokenHashInput(secrets.token));
      tokens.add(`${copyBytea(tokenHex)}\t${campaign}\t${id}\t${setup.issuedAt}\n`);
      ids[good] = id;
      lines[good] = rec.line;
      const at = good * 6;
      [fps[at], fps[at + 1]] = codeFingerprint(code);
      fps[at + 2] = hexWord(refHex, 0);
      fps[at + 3] = hexWord(refHex, 8);
      fps[at + 4] = hexWord(personHex, 0);
      fps[at + 5] = hexWord(personHex, 8);
      good++;
    });
    return {
      ...out,
      records,
      customers: customers.done(),
      personal: personal.done(),
      tokens: tokens.done(),
      ids: ids.slice(0, good),
      lines: lines.slice(0, good),
      fingerprints: fps.slice(0, good * 6),
    };
  };
}

function lostLetterHex(row: CustomerRow, hash: (v: string) => string): string | null {
  const keys = normaliseLostLetterKeys({
    kanaName: row.full_name_kana,
    birthDate: row.birth_date,
    postalCode: row.postal_code,
  });
  return keys ? hash(lostLetterDigestInput(keys)) : null;
}

/** customers: id, campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items, erasure_requested_before. */
function customerLine(
  id: number,
  campaign: string,
  code: string,
  keyHex: string,
  refHex: string,
  row: CustomerRow,
) {
  // Leaked-item keys are [a-z0-9_]+ (campaign schema); quoted so that a key like "null" stays text.
  const leaked = `{${row.leaked_items.map((k) => `"${k}"`).join(',')}}`;
  const erasure = row.erasure_requested_before ? 't' : 'f';
  return `${id}\t${campaign}\t${code}\t${copyBytea(keyHex)}\t${copyBytea(refHex)}\t${leaked}\t${erasure}\n`;
}

export const CUSTOMER_LOAD_COLUMNS =
  'id, campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items, erasure_requested_before';
export const PERSONAL_LOAD_COLUMNS =
  'customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code, address, phone, email, household, person_digest, customer_ref, lost_letter_digest';
export const TOKEN_LOAD_COLUMNS = 'token_hash, campaign_id, customer_id, issued_at';

function personalLine(
  id: number,
  campaign: string,
  row: CustomerRow,
  personHex: string,
  lostHex: string | null,
) {
  return (
    [
      id,
      campaign,
      copyValue(row.full_name),
      copyValue(row.full_name_kana),
      copyValue(row.birth_date),
      row.postal_code,
      copyValue(row.address),
      copyValue(row.phone),
      copyValue(row.email),
      copyValue(JSON.stringify(row.household)),
      copyBytea(personHex),
      copyValue(row.customer_ref),
      lostHex === null ? '\\N' : copyBytea(lostHex),
    ].join('\t') + '\n'
  );
}
