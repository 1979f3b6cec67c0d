import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import { eraseDue } from '../../src/erasure/erasure.service.js';
import { purgeCampaign } from '../../src/purge/purge.service.js';
import type { JobDeps } from '../../src/platform/job-deps.js';
import { retryOnLockConflict } from '../../src/platform/pg-retry.js';

/**
 * Throughput of erasure and purge. Seeding is set-based (generate_series, one statement per chunk)
 * and not timed; the timed part is exactly what the scheduled job runs.
 */

const SEED_CHUNK = 250_000;

interface Seeded {
  campaignId: string;
  /** Registration codes are 'B' + run + the 9-digit sequence number. */
  run: string;
}

async function seedCampaign(
  deps: JobDeps,
  kind: string,
  customers: number,
  redeemed: 'all' | 'some',
): Promise<Seeded> {
  const run = randomBytes(3).toString('hex').toUpperCase();
  const campaign = await saveCampaignDefinition(
    deps.db,
    demoCampaignDefinition(deps.now(), `bench-${kind}-${run.toLowerCase()}`),
  );
  const db = deps.db;
  await retryOnLockConflict(() => sql`select create_campaign_partitions(${campaign.id})`.execute(db), 100);
  for (let lo = 1; lo <= customers; lo += SEED_CHUNK) {
    const hi = Math.min(customers, lo + SEED_CHUNK - 1);
    await sql`
      insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items)
      select ${campaign.id}, 'B' || ${run} || lpad(i::text, 9, '0'), decode(md5(i::text), 'hex'),
             decode(md5(${run} || ':' || i), 'hex'), '{name_gender_birth,postal_code,address,phone}'
        from generate_series(${lo}::int, ${hi}::int) i`.execute(db);
  }
  await sql`
    insert into customer_personal (customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code,
                                   address, phone, email, household, person_digest, customer_ref)
    select c.id, c.campaign_id, '試験 太郎' || c.id, 'シケン タロウ', '1980-04-01', '1000004',
           '東京都千代田区大手町' || (c.id % 9 + 1) || '-' || (c.id % 30 + 1) || '-' || c.id, '03-1234-' || lpad((c.id % 10000)::text, 4, '0'),
           null, case when c.id % 2 = 0 then '[{"name":"試験 花子","relation":"子","birthDate":"2010-05-05"}]'::jsonb else '[]'::jsonb end,
           decode(md5('p' || c.id), 'hex'), 'C' || lpad(c.id::text, 10, '0')
      from customers c where c.campaign_id = ${campaign.id}`.execute(db);
  // Erase: everyone redeemed, was served and asked for erasure. Purge: a third redeemed.
  // Every gift delivered (booked in the ledger) by then: a purge refuses while one is not.
  await sql`
    insert into redemptions (customer_id, campaign_id, channel, option, amount_yen, data_choice, redeemed_at, fulfilled_at)
    select c.id, c.campaign_id, 'web', 'donation', 500,
           case when ${redeemed} = 'all' then 'erasure' else 'none' end, now(), now()
      from customers c where c.campaign_id = ${campaign.id} and (${redeemed} = 'all' or c.id % 3 = 0)`.execute(
    db,
  );
  await sql`
    insert into donation_ledger (redemption_id, campaign_id, recipient, amount_yen, booked_at)
    select r.id, r.campaign_id, 'bench', r.amount_yen, now() from redemptions r
     where r.campaign_id = ${campaign.id}`.execute(db);
  // A purge comes months after the campaign's last writes, when autovacuum (triggered by inserts
  // since PostgreSQL 13) has long set the visibility map; an erasure run follows the requests.
  if (kind === 'purge')
    await sql`vacuum analyze customers, customer_personal, redemptions, donation_ledger`.execute(db);
  else await sql`analyze customers, customer_personal, redemptions`.execute(db);
  await startFromCheckpoint(db);
  return { campaignId: campaign.id, run };
}

/**
 * The timed part starts right after a checkpoint, as a scheduled job meets pages not written since
 * the last one: each page's first change then logs its full image. Without it the timing depended on
 * where the seeding's own checkpoints fell: this code measured 45,255 and 69,264 erasures/s within
 * an hour; after a checkpoint, 59,805 and 64,713 (2026-12-02).
 */
export async function startFromCheckpoint(db: JobDeps['db']): Promise<void> {
  await sql`checkpoint`.execute(db);
}

/**
 * While `work` runs, looks customers up by registration code the way a login does, one after
 * another, and returns the 99th percentile latency: batches must never make logins wait.
 */
async function withLoginProbe<T>(deps: JobDeps, seeded: Seeded, customers: number, work: () => Promise<T>) {
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const code = `B${seeded.run}${String(1 + Math.floor(Math.random() * customers)).padStart(9, '0')}`;
      const t = performance.now();
      await deps.db
        .selectFrom('customers')
        .select(['id', 'login_key_hash', 'erased_at', 'erasure_receipt'])
        .where('registration_code', '=', code)
        .where('campaign_id', '=', seeded.campaignId)
        .executeTakeFirst();
      latencies.push(performance.now() - t);
    }
  })();
  try {
    return { result: await work(), login_p99_ms: percentile(latencies, 0.99) };
  } finally {
    running = false;
    await probe;
  }
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
};

/** Erases `customers` fulfilled customers who asked for erasure; customers per second. */
export async function benchErase(
  deps: JobDeps,
  customers: number,
): Promise<{ erase_per_s: number; login_p99_ms: number }> {
  const seeded = await seedCampaign(deps, 'erase', customers, 'all');
  const t0 = performance.now();
  const { result, login_p99_ms } = await withLoginProbe(deps, seeded, customers, () =>
    eraseDue(deps, { campaignId: seeded.campaignId }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (result.erased !== customers) throw new Error(`erased ${result.erased} of ${customers}`);
  return { erase_per_s: Math.round(customers / seconds), login_p99_ms };
}

/** Purges a campaign of `customers` (every check included); customers per second. */
export async function benchPurge(
  deps: JobDeps,
  customers: number,
): Promise<{ purge_per_s: number; login_p99_ms: number }> {
  const seeded = await seedCampaign(deps, 'purge', customers, 'some');
  const t0 = performance.now();
  const { result: report, login_p99_ms } = await withLoginProbe(deps, seeded, customers, () =>
    purgeCampaign(deps, seeded.campaignId),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (!report.passed || report.countsBefore.customer_personal !== customers) {
    throw new Error(`purge did not pass: ${JSON.stringify(report.checks.filter((c) => !c.passed))}`);
  }
  if (process.env.BENCH_VERBOSE) console.log(report.phasesMs);
  return { purge_per_s: Math.round(customers / seconds), login_p99_ms };
}
