import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { buildCampaign, buildCustomer, buildVendorCampaign, redeem } from './support/factories.js';
import { TEST_SECRETS } from './support/context.js';
import { useIsolatedServices, waitFor } from './support/isolated.js';

const iso = useIsolatedServices();
let vendor: SandboxVendor;
beforeAll(async () => {
  // Slow enough that eight short-lived workers cannot drain all 200 gifts between them (each is
  // killed within 700 ms of its first call): every round must find work left to be killed in.
  vendor = await startSandboxVendor(0, { delayMs: 300 });
});
const workers = new Set<ChildProcess>();
afterAll(() => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  return vendor.close();
});

function startWorker(): ChildProcess {
  const child = spawn('node', ['--import', 'tsx', 'jobs/worker.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: iso.config.DATABASE_URL,
      REDIS_URL: iso.config.REDIS_URL,
      EMONEY_VENDOR_URL: vendor.url,
      WORKER_LOCK_MS: '1500',
      WORKER_CONCURRENCY: '8',
      LOG_LEVEL: 'error',
      WORKER_METRICS_PORT: '0',
      ...TEST_SECRETS,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.add(child); // killed after the file even when a test fails midway
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));

describe('a worker killed at any instant', () => {
  it('when SIGKILLed again and again mid-work, then no gift is lost and none is doubled', async () => {
    const { deps } = iso;
    const emoney = await buildVendorCampaign(deps);
    const donations = await buildCampaign(deps);
    const emoneyIds: string[] = [];
    const donationIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      const c = await buildCustomer(deps, emoney);
      emoneyIds.push(
        await redeem(deps, emoney, c.id, { option: 'emoney', brand: 'amazon', dataChoice: 'none' }),
      );
    }
    for (let i = 0; i < 20; i++) {
      const c = await buildCustomer(deps, donations);
      donationIds.push(await redeem(deps, donations, c.id, { option: 'donation', dataChoice: 'none' }));
    }

    let kills = 0;
    for (let round = 0; round < 8; round++) {
      const child = startWorker();
      // Kill only once this worker is calling the vendor, at a random instant after that: odd rounds
      // before the vendor (300 ms) can answer (calls cut off mid-flight), even rounds after answers
      // came back (gifts delivered between kills) — so both outcomes below happen in every run.
      const seen = vendor.requests;
      await waitFor(async () => vendor.requests > seen, 20_000, 'the worker to start working');
      const delayMs = round % 2 ? Math.random() * 250 : 400 + Math.random() * 300;
      await new Promise((r) => setTimeout(r, Math.floor(delayMs)));
      child.kill('SIGKILL');
      await killed(child);
      kills++;
    }
    const fulfilledDuringKills = await deps.db
      .selectFrom('redemptions')
      .select('id')
      .where('fulfilled_at', 'is not', null)
      .execute();
    const finalWorker = startWorker();
    try {
      await waitFor(
        async () =>
          (await deps.db.selectFrom('redemptions').select('id').where('fulfilled_at', 'is', null).execute())
            .length === 0,
        60_000,
        'every redemption fulfilled after the kills',
      );
    } finally {
      finalWorker.kill('SIGTERM');
      await killed(finalWorker);
    }
    expect(kills).toBe(8);
    // The kills landed mid-work: some gifts were delivered between kills, and some vendor calls were
    // cut off and asked again (same idempotency key) after the job was found stalled.
    expect(fulfilledDuringKills.length).toBeGreaterThan(0);
    expect([...vendor.requestsPerKey.values()].some((n) => n > 1)).toBe(true);
    for (const id of emoneyIds) {
      const codes = await deps.db
        .selectFrom('emoney_codes')
        .select('code')
        .where('redemption_id', '=', id)
        .execute();
      expect(codes).toHaveLength(1);
      expect(vendor.issued.get(`owabi-redemption-${id}`)).toEqual([codes[0]!.code]);
    }
    const ledger = await deps.db
      .selectFrom('donation_ledger')
      .select('redemption_id')
      .where('redemption_id', 'in', donationIds)
      .execute();
    expect(ledger).toHaveLength(20);
  }, 120_000);
});
