import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { generateRegistrationCode } from '../../src/customers/codes.js';

/**
 * `n` notified customers for the postcard bench: valid registration codes (with their check
 * character) generated here and COPYed into a staging table, then customers and their personal
 * rows made set-based from it. Every 20th customer had asked for erasure before the letter. Login
 * keys are not needed here (nobody logs in), so their hashes are mere placeholders.
 */
export async function seedPostcardCustomers(pool: pg.Pool, campaignId: string, n: number): Promise<string[]> {
  const seen = new Set<string>();
  const codes: string[] = [];
  while (codes.length < n) {
    const code = generateRegistrationCode();
    if (!seen.has(code)) {
      seen.add(code);
      codes.push(code);
    }
  }
  const client = await pool.connect();
  try {
    await client.query('create temp table bench_codes (ord int not null, code text not null)');
    const lines = (function* () {
      for (let i = 0; i < codes.length; i += 10_000)
        yield codes
          .slice(i, i + 10_000)
          .map((c, j) => `${i + j}\t${c}\n`)
          .join('');
    })();
    await pipeline(
      Readable.from(lines),
      client.query(copyStreams.from('copy bench_codes (ord, code) from stdin')),
    );
    await client.query(
      `insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items, erasure_requested_before)
       select $1, code, sha256(convert_to('key:' || code, 'UTF8')), sha256(convert_to('ref:' || code, 'UTF8')),
              '{name_gender_birth,address,phone}', ord % 20 = 7
         from bench_codes order by ord`,
      [campaignId],
    );
    await client.query(
      `insert into customer_personal (customer_id, campaign_id, full_name, postal_code, address, household, person_digest)
       select c.id, c.campaign_id, '試験 太郎' || c.id, '1000004', '東京都千代田区大手町1-1-' || c.id, '[]',
              sha256(convert_to('person:' || c.registration_code, 'UTF8'))
         from customers c where c.campaign_id = $1`,
      [campaignId],
    );
    await client.query('drop table bench_codes');
    await client.query('analyze customers, customer_personal');
  } finally {
    client.release();
  }
  return codes;
}

/** Customers who already redeemed on the web (their cards are duplicates), straight into the table. */
export async function seedWebRedemptions(
  pool: pg.Pool,
  campaignId: string,
  codes: string[],
): Promise<number> {
  const r = await pool.query(
    `insert into redemptions (customer_id, campaign_id, channel, option, amount_yen, data_choice)
     select c.id, c.campaign_id, 'web', 'donation', 500, 'none'
       from customers c where c.registration_code = any($1::text[]) and c.campaign_id = $2`,
    [codes, campaignId],
  );
  return r.rowCount ?? 0;
}
