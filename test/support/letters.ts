import { Readable, Writable } from 'node:stream';
import type { Campaign } from '../../src/campaigns/campaign.service.js';
import { normaliseCodeInput } from '../../src/customers/codes.js';
import { importCustomers } from '../../src/imports/import.service.js';
import { csvRecords } from '../../src/platform/csv-records.js';
import type { AppDeps } from '../../src/platform/deps.js';

/** Letters as the import prints them, for the letter-verification and lost-letter tests. */

export const CUSTOMER_CSV_HEADER =
  'customer_ref,full_name,full_name_kana,birth_date,postal_code,address,phone,email,household,leaked_items,erasure_requested_before';

export interface PersonRow {
  ref: string;
  name: string;
  kana: string;
  birthDate: string;
  postalCode: string;
}

export interface PrintedLetter {
  registrationCode: string;
  loginKey: string;
  url: string;
  token: string;
  /** The print file's columns by name. */
  columns: Record<string, string>;
}

/** Parses a letter print file (BOM, header, CRLF lines). */
export async function parseLetters(csv: string): Promise<{ header: string[]; letters: PrintedLetter[] }> {
  const rows: string[][] = [];
  for await (const records of csvRecords(Readable.from([csv]))) for (const r of records) rows.push(r.fields);
  const [header, ...lines] = rows;
  const letters = lines.map((fields) => {
    const columns = Object.fromEntries(header!.map((h, i) => [h, fields[i] ?? '']));
    const url = columns.verification_url ?? '';
    return {
      registrationCode: normaliseCodeInput(columns.registration_code!),
      loginKey: normaliseCodeInput(columns.login_key!),
      url,
      token: url.slice(url.lastIndexOf('/') + 1),
      columns,
    };
  });
  return { header: header!, letters };
}

/** Imports these people into the campaign; returns the printed letters in the rows' order. */
export async function importPeople(
  deps: Pick<AppDeps, 'pool' | 'config'>,
  campaign: Campaign,
  people: PersonRow[],
  publicBaseUrl?: string,
) {
  const csv = [
    CUSTOMER_CSV_HEADER,
    ...people.map(
      (p) =>
        `${p.ref},${p.name},${p.kana},${p.birthDate},${p.postalCode},東京都千代田区大手町${p.ref},,,,name_gender_birth,false`,
    ),
  ].join('\n');
  let out = '';
  const letters = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString('utf8');
      cb();
    },
  });
  const report = await importCustomers(
    { pool: deps.pool, pepper: deps.config.LOGIN_KEY_PEPPER, ...(publicBaseUrl ? { publicBaseUrl } : {}) },
    {
      campaignId: campaign.id,
      leakedItemKeys: campaign.def.leakedItems.map((i) => i.key),
      input: Readable.from([csv]),
      letters,
    },
  );
  if (report.badRows.length > 0) throw new Error(`bad rows: ${JSON.stringify(report.badRows)}`);
  return { ...(await parseLetters(out)), printFile: out };
}
