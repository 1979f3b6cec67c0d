import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { generateLoginKey, generateRegistrationCode, keyedHash } from '../../src/customers/codes.js';
import { retryOnLockConflict } from '../../src/platform/pg-retry.js';

/** One printed letter, as the customer would type it. */
export interface Credential {
  registrationCode: string;
  loginKey: string;
}

const LEAKED = ['name_gender_birth', 'household', 'postal_code', 'address', 'phone'];
const BATCH = 5_000;

/**
 * Inserts `n` notified customers with their personal data straight into the tables (one statement
 * per batch: customers and customer_personal from unnest arrays) and returns the plain-text
 * letters. The login-key hash is the same keyed hash the service checks, so the pepper passed here
 * must be the service's LOGIN_KEY_PEPPER.
 */
export async function seedCustomers(
  pool: pg.Pool,
  campaignId: string,
  pepper: string,
  n: number,
  progress: (done: number) => void = () => undefined,
): Promise<Credential[]> {
  const creds: Credential[] = [];
  const seen = new Set<string>();
  const run = randomBytes(6).toString('hex');
  await retryOnLockConflict(() => pool.query('select create_campaign_partitions($1)', [campaignId]), 100);
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const codes: string[] = [];
    const keyHashes: string[] = [];
    const refHashes: string[] = [];
    const digests: string[] = [];
    const names: string[] = [];
    const addresses: string[] = [];
    const households: string[] = [];
    while (codes.length < size) {
      const code = generateRegistrationCode();
      if (seen.has(code)) continue;
      seen.add(code);
      const i = start + codes.length;
      const loginKey = generateLoginKey();
      creds.push({ registrationCode: code, loginKey });
      codes.push(code);
      keyHashes.push(keyedHash(pepper, loginKey).toString('hex'));
      refHashes.push(keyedHash(pepper, `ref:bench:${run}:${i}`).toString('hex'));
      digests.push(keyedHash(pepper, `person:bench:${run}:${i}`).toString('hex'));
      names.push(`試験 太郎${i}`);
      addresses.push(`東京都千代田区大手町${(i % 9) + 1}-${(i % 30) + 1}-${i}`);
      households.push(
        i % 2 ? JSON.stringify([{ name: `試験 花子${i}`, relation: '子', birthDate: '2010-05-05' }]) : '[]',
      );
    }
    const res = await pool.query(
      `with c as (
         insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items)
         select $1, t.code, decode(t.key_hash, 'hex'), decode(t.ref_hash, 'hex'), $5::text[]
           from unnest($2::text[], $3::text[], $4::text[]) as t(code, key_hash, ref_hash)
         returning id, registration_code
       )
       insert into customer_personal
         (customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code, address, phone, email, household, person_digest)
       select c.id, $1, p.full_name, 'シケン タロウ', '1980-04-01', '1000004', p.address, '03-1234-5678', null, p.household::jsonb,
              decode(p.digest, 'hex')
         from c join unnest($2::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                     as p(code, full_name, address, household, digest) on p.code = c.registration_code`,
      [campaignId, codes, keyHashes, refHashes, LEAKED, names, addresses, households, digests],
    );
    if (res.rowCount !== size) throw new Error(`seeding inserted ${res.rowCount} of ${size} customers`);
    progress(start + size);
  }
  return creds;
}

/** Pre-purchased gift codes, `perBrand` of each brand, unique per run. */
export async function seedEmoneyCodes(
  pool: pg.Pool,
  campaignId: string,
  brands: string[],
  perBrand: number,
  amountYen: number,
): Promise<number> {
  const run = randomBytes(4).toString('hex').toUpperCase();
  let total = 0;
  for (const brand of brands) {
    const res = await pool.query(
      `insert into emoney_codes (campaign_id, brand, code, amount_yen)
       select $1, $2, $3 || '-' || lpad(g::text, 8, '0'), $4 from generate_series(1, $5::int) g`,
      [campaignId, brand, `${brand.toUpperCase().slice(0, 3)}-B${run}`, amountYen, perBrand],
    );
    total += res.rowCount ?? 0;
  }
  return total;
}
