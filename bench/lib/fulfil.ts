import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import { saveCampaignDefinition } from '../../src/campaigns/campaign.service.js';
import { demoCampaignDefinition } from '../../dev/demo/demo-campaign.js';
import { startSandboxVendor } from '../../dev/sandbox-vendor.js';
import { SECRET_NAMES } from '../../src/platform/config.js';
import { closeQueues, createQueues } from '../../src/platform/queue-connections.js';
import type { JobDeps } from '../../src/platform/job-deps.js';
import { spawnService, stopService, type ServiceProcess } from './children.js';
import { processTree, rssKb } from './procfs.js';
import { retryOnLockConflict } from '../../src/platform/pg-retry.js';
import { SMALL_HEAP_FLAGS } from '../../src/platform/heap-flags.js';
import { compileEntry } from './redeem-build.js';

/**
 * Vendor-API e-money fulfilment through the real path: committed outbox intents → relay → BullMQ →
 * worker process → sandbox vendor over HTTP → code stored, redemption fulfilled. The intents are
 * committed once every worker process consumes the queue.
 */

type Query = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/** A vendor-sourced e-money campaign with `redemptions` web redemptions (their intents come later). */
async function seedFulfilWork(deps: JobDeps, q: Query, redemptions: number): Promise<string> {
  const tag = randomBytes(3).toString('hex');
  const def = demoCampaignDefinition(deps.now(), `bench-fulfil-${tag}`);
  def.options.emoney = { ...def.options.emoney!, source: 'vendor' };
  const campaign = await saveCampaignDefinition(deps.db, def);
  await retryOnLockConflict(() => q('select create_campaign_partitions($1)', [campaign.id]), 100);
  await q(
    `insert into customers (campaign_id, registration_code, login_key_hash, source_ref_hash)
     select $1, 'F' || $2 || lpad(i::text, 8, '0'), decode(md5('k' || i), 'hex'), decode(md5($2 || i), 'hex')
       from generate_series(1, $3::int) i`,
    [campaign.id, tag.toUpperCase(), redemptions],
  );
  await q(
    `insert into redemptions (customer_id, campaign_id, channel, option, brand, amount_yen, data_choice)
     select id, campaign_id, 'web', 'emoney', (array['edy','amazon','nanaco'])[1 + id % 3], 500, 'none'
       from customers where campaign_id = $1`,
    [campaign.id],
  );
  return campaign.id;
}

/** Each redemption's fulfil intent, committed at once as the redemptions would have committed them. */
async function queueFulfilIntents(q: Query, campaignId: string): Promise<void> {
  await q(
    `insert into outbox (queue, job_name, job_id, payload)
     select 'fulfilment', 'fulfil', 'fulfil-' || id, jsonb_build_object('redemptionId', id::text, 'campaignId', campaign_id::text)
       from redemptions where campaign_id = $1`,
    [campaignId],
  );
}

/**
 * Waits until every worker process consumes the fulfilment queue. Start-up (loading and compiling
 * the modules, several seconds on a loaded machine) is not fulfilment: timed from the first gift
 * alone, a run measured one worker for as long as the other was still starting, and the same code
 * gave 700 to 1,900 gifts/s from run to run.
 */
async function waitForConsumers(deps: JobDeps, workers: ServiceProcess[]): Promise<void> {
  const { queues, connection } = createQueues(deps.config);
  try {
    const until = Date.now() + 120_000;
    while ((await queues.fulfilment.getWorkersCount()) < workers.length) {
      for (const worker of workers)
        if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.tail()}`);
      if (Date.now() > until) throw new Error('workers did not start consuming within 120 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await closeQueues(queues, connection);
  }
}

/** A worker process as `npm run worker:prod` starts one: the compiled script, with its heap flags. */
function startWorker(
  deps: JobDeps,
  script: string,
  vendorUrl: string,
  concurrency: number,
  index: number,
): ServiceProcess {
  return spawnService(
    'worker',
    [
      ...SMALL_HEAP_FLAGS,
      // BENCH_CPU_PROFILE_DIR=<dir>: each worker writes a V8 CPU profile there when it stops.
      ...(process.env.BENCH_CPU_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`]
        : []),
      script,
    ],
    {
      ...process.env,
      DATABASE_URL: deps.config.DATABASE_URL,
      REDIS_URL: deps.config.REDIS_URL,
      EMONEY_VENDOR_URL: vendorUrl,
      WORKER_CONCURRENCY: String(concurrency),
      DB_POOL_SIZE: '30',
      // Each worker process its own metrics port (0: none for the second and later).
      WORKER_METRICS_PORT: index === 0 ? (process.env.WORKER_METRICS_PORT ?? '9465') : '0',
      LOG_LEVEL: 'warn',
      // The worker refuses to start without every secret: it gets the bench's own.
      ...Object.fromEntries(SECRET_NAMES.map((name) => [name, deps.config[name]])),
    },
    path.resolve(import.meta.dirname, '../..'),
  );
}

/** The gifts delivered per second, from the first delivered one to the last. */
async function timeFulfilment(
  q: Query,
  campaignId: string,
  redemptions: number,
  workers: ServiceProcess[],
): Promise<number> {
  const remaining = async () =>
    Number(
      (
        await q('select count(*) from redemptions where campaign_id = $1 and fulfilled_at is null', [
          campaignId,
        ])
      ).rows[0].count,
    );
  const failIfExited = () => {
    for (const worker of workers)
      if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.tail()}`);
  };
  // The clock starts at the first delivered gift: process start-up is not fulfilment.
  while ((await remaining()) === redemptions) {
    failIfExited();
    await new Promise((r) => setTimeout(r, 20));
  }
  const t0 = performance.now();
  const startLeft = await remaining();
  for (let left = startLeft; left > 0; left = await remaining()) {
    failIfExited();
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  return Math.round(startLeft / seconds);
}

async function assertOneCodePerRedemption(q: Query, campaignId: string): Promise<void> {
  const doubled = Number(
    (
      await q(
        `select count(*) from (select redemption_id from emoney_codes where campaign_id = $1 group by 1 having count(*) > 1) d`,
        [campaignId],
      )
    ).rows[0].count,
  );
  if (doubled) throw new Error(`${doubled} redemptions got two codes`);
}

export async function benchFulfil(
  deps: JobDeps,
  redemptions: number,
  concurrency: number,
  workerCount = 2,
): Promise<{ fulfil_per_s: number; worker_peak_rss_mb: number }> {
  const q: Query = (text, values) => deps.pool.query(text, values);
  const campaignId = await seedFulfilWork(deps, q, redemptions);
  // The worker as `npm run worker:prod` runs it: compiled JavaScript.
  const repoRoot = path.resolve(import.meta.dirname, '../..');
  const script = compileEntry(repoRoot, 'owabi-bench-jobs', ['src', 'jobs'], 'jobs/worker.js');
  const vendor = await startSandboxVendor();
  // Like production: several worker processes share the queue (the peak is the largest one's).
  const workers = Array.from({ length: workerCount }, (_, i) =>
    startWorker(deps, script, vendor.url, concurrency, i),
  );
  let peakKb = 0;
  const sampler = setInterval(() => {
    for (const worker of workers)
      peakKb = Math.max(
        peakKb,
        processTree(worker.pid).reduce((s, pid) => s + rssKb(pid), 0),
      );
  }, 100);
  try {
    await waitForConsumers(deps, workers);
    await queueFulfilIntents(q, campaignId);
    const fulfilPerS = await timeFulfilment(q, campaignId, redemptions, workers);
    await assertOneCodePerRedemption(q, campaignId);
    return { fulfil_per_s: fulfilPerS, worker_peak_rss_mb: Math.round(peakKb / 102.4) / 10 };
  } finally {
    clearInterval(sampler);
    await Promise.all(workers.map((w) => stopService(w)));
    await vendor.close();
  }
}
