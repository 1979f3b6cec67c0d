import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxVendor, type SandboxVendor } from '../dev/sandbox-vendor.js';
import { runWorker } from '../jobs/worker.js';
import { createApp } from '../src/app/create-app.js';
import type { Config } from '../src/platform/config.js';
import { closeQueues, createQueues } from '../src/platform/queue-connections.js';
import { createRedis } from '../src/platform/redis-connection.js';
import { scanRedisForValues } from '../src/purge/purge.redis.js';
import { buildCustomer, buildVendorCampaign, type TestCustomer } from './support/factories.js';
import { useScratchDir } from './support/context.js';
import { useIsolatedServices, waitFor } from './support/isolated.js';
import { startSentinelGroup, type SentinelGroup } from './support/redis-sentinel.js';
import { CustomerBrowser } from './support/web.js';

// A database of our own (the worker fulfils all it finds); its REDIS_URL is replaced by the sentinels.
// Short locks: a job whose completion the failover swallowed is found stalled and retried soon.
const iso = useIsolatedServices({ WORKER_LOCK_MS: '2000' });
const dir = useScratchDir('owabi-sentinel-');
let group: SentinelGroup;
let vendor: SandboxVendor;
let config: Config;

beforeAll(async () => {
  group = await startSentinelGroup({
    dir: path.join(dir, 'redis'),
    downAfterMs: 1_000,
    failoverTimeoutMs: 3_000,
  });
  // Slow enough that gifts are in flight when the master dies.
  vendor = await startSandboxVendor(0, { delayMs: 300 });
  config = {
    ...iso.config,
    REDIS_URL: undefined,
    REDIS_SENTINELS: group.sentinels,
    REDIS_SENTINEL_MASTER: group.name,
    EMONEY_VENDOR_URL: vendor.url,
  };
});
afterAll(async () => {
  await vendor?.close();
  await group?.stop();
});

const fulfilledCount = async () =>
  Number(
    (
      await iso.deps.db
        .selectFrom('redemptions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('fulfilled_at', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** How long queue operations failed: a producer's call every 50 ms, its longest run of failures. */
function watchQueueStall(probe: () => Promise<unknown>) {
  let failingSince: number | undefined;
  let longest = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const ok = await probe().then(
        () => true,
        () => false,
      );
      if (!ok) failingSince ??= Date.now();
      else if (failingSince !== undefined) {
        longest = Math.max(longest, Date.now() - failingSince);
        failingSince = undefined;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return failingSince === undefined ? longest : Infinity;
  };
}

describe('Redis through Sentinel', () => {
  it('when the purge scans Redis, then it reads the master and the replica the sentinels name', async () => {
    const redis = createRedis(config, 'cli');
    try {
      await redis.connect();
      await redis.set('failover-test:needle', 'a value to find: 試験 検索値', 'EX', 600);
      const scan = await scanRedisForValues(redis, [Buffer.from('試験 検索値')]);
      // Found twice: on the master, and on the replica (which the write reached first: WAIT).
      expect(scan).toMatchObject({ nodes: 2, unreachableNodes: 0, keysWithHits: 2 });
      await redis.del('failover-test:needle');
    } finally {
      redis.disconnect();
    }
  });

  it('when the master is killed mid-stream, then the replica takes over, no customer sees an error and every gift is delivered exactly once', async () => {
    const { deps } = iso;
    const campaign = await buildVendorCampaign(deps);
    const customers: TestCustomer[] = [];
    for (let i = 0; i < 36; i++) customers.push(await buildCustomer(deps, campaign));
    const producers = createQueues(config);
    const app = createApp(deps, { queues: producers.queues });
    const stopWorker = await runWorker(config, { concurrency: 8 });
    const statuses: number[] = [];
    const redeemAll = (batch: TestCustomer[]) =>
      Promise.all(
        [0, 1, 2].map(async (lane) => {
          for (const c of batch.filter((_, i) => i % 3 === lane)) {
            const browser = new CustomerBrowser(app, campaign.slug);
            statuses.push((await browser.login(c.registrationCode, c.loginKey)).status);
            const done = await browser.complete({ option: 'emoney', brand: 'edy', dataChoice: 'none' });
            statuses.push(done.status);
          }
        }),
      );
    const stall = watchQueueStall(() => producers.queues.fulfilment.getJobCounts('waiting'));
    const t0 = Date.now();
    try {
      await redeemAll(customers.slice(0, 12));
      await waitFor(
        async () => (await fulfilledCount()) >= 4,
        15_000,
        'gifts to be delivered before the kill',
      );
      const fulfilledAtKill = await fulfilledCount();
      const killedAt = Date.now();
      const oldMaster = await group.killMaster();
      // Customers keep coming while the sentinels notice and promote the replica …
      const during = redeemAll(customers.slice(12, 24));
      const newMaster = await group.waitForNewMaster(oldMaster);
      const promotedMs = Date.now() - killedAt;
      await during;
      const fulfilledAtPromotion = await fulfilledCount();
      // … and after.
      await redeemAll(customers.slice(24));
      await waitFor(
        async () => (await fulfilledCount()) === customers.length,
        30_000,
        'every gift delivered',
      );
      const allDeliveredMs = Date.now() - killedAt;
      const longestStallMs = await stall();

      expect(newMaster).toBe(group.replicaPort);
      expect(statuses).toHaveLength(customers.length * 2);
      expect(statuses.every((s) => s === 303)).toBe(true);
      const codes = await deps.db
        .selectFrom('emoney_codes as e')
        .innerJoin('redemptions as r', 'r.id', 'e.redemption_id')
        .select(['r.id', 'e.code'])
        .where('r.campaign_id', '=', campaign.id)
        .execute();
      expect(codes).toHaveLength(customers.length);
      expect(new Set(codes.map((c) => c.id)).size).toBe(customers.length);
      for (const { id, code } of codes) expect(vendor.issued.get(`owabi-redemption-${id}`)).toEqual([code]);
      expect(vendor.issued.size).toBe(customers.length);
      console.log(
        `redis failover: killed with ${fulfilledAtKill} of 12 delivered; promoted ${promotedMs} ms after; ` +
          `producer calls failed for at most ` +
          `${longestStallMs} ms; ${fulfilledAtPromotion} of ${customers.length} delivered at promotion, all ` +
          `${allDeliveredMs} ms after the kill; vendor asked twice for ` +
          `${[...vendor.requestsPerKey.values()].filter((n) => n > 1).length} gift(s); ${Date.now() - t0} ms in all`,
      );
    } finally {
      await stall();
      await Promise.race([stopWorker(), new Promise((r) => setTimeout(r, 10_000))]);
      await closeQueues(producers.queues, producers.connection);
    }
  }, 60_000);

  it('when the old master is still dead, then the purge scans the new master and names the replica it could not reach', async () => {
    const redis = createRedis(config, 'cli');
    try {
      await redis.connect();
      await redis.set('failover-test:after', 'x', 'EX', 600);
      const scan = await scanRedisForValues(redis, [Buffer.from('試験 検索値')]);
      expect(scan).toMatchObject({ nodes: 1, unreachableNodes: 1, keysWithHits: 0 });
      // The queues and the worker wrote under REDIS_PREFIX only.
      expect(await redis.exists(`${config.REDIS_PREFIX}:fulfilment:meta`)).toBe(1);
      expect((await redis.scan('0', 'MATCH', 'bull:*', 'COUNT', 10_000))[1]).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
