import type pg from 'pg';
import { newCodeKeys, registrationCodeAt, sampleIndices } from './scale-codes.js';
import { bulkLoadSettings } from './scale-pg.js';
import { loadCustomers } from './scale-seed.js';

/**
 * `n` notified customers for the postcard bench, loaded in chunks (bench/lib/scale-seed.ts: valid
 * registration codes COPYed into a staging table, customers and their personal rows made
 * set-based from it), so that 30,000,000 fit in a modest memory. Every 20th customer had asked for
 * erasure before the letter; every 50th already redeemed on the web (their cards are duplicates). Login keys are not needed here (nobody logs in): their hashes are
 * placeholders. Loaded with bulk-load settings, then reset to durable ones, checkpointed, vacuumed
 * and analysed before anything is measured.
 *
 * Returns the codes of `needed` customers picked at random from the whole campaign, in random
 * order (the cards the bench will key: they arrive in no order), and how long the load took.
 */
export async function seedPostcardCustomers(
  pool: pg.Pool,
  campaignId: string,
  n: number,
  needed: number,
  log: (line: string) => void,
): Promise<{ codes: string[]; webRedeemed: number; loadSeconds: number; settleSeconds: number }> {
  const keys = newCodeKeys();
  await bulkLoadSettings(pool, true);
  let last = 0;
  const { loaded, webRedeemed, seconds } = await loadCustomers(pool, {
    campaignId,
    first: 0,
    count: n,
    keys,
    pepper: null,
    erasureEvery: 20,
    webEvery: 50,
    chunk: 50_000,
    writers: 2,
    deadline: Infinity,
    progress: (done, s) => {
      if (s - last < 10 && done < n) return;
      last = s;
      log(`seeding: ${done.toLocaleString('en')} / ${n.toLocaleString('en')} customers in ${s.toFixed(0)} s`);
    },
  });
  if (loaded !== n) throw new Error(`seeded ${loaded} of ${n} customers`);
  const t = performance.now();
  await bulkLoadSettings(pool, false);
  await pool.query('vacuum (analyze) customers, customer_personal, redemptions');
  const codes = sampleIndices(n, needed).map((i) => registrationCodeAt(keys, i));
  return { codes, webRedeemed, loadSeconds: seconds, settleSeconds: (performance.now() - t) / 1000 };
}
