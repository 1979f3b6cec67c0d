import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { closeQueues, createQueues } from '../src/platform/queue-connections.js';
import { createApp } from '../src/app/create-app.js';
import { createRedis } from '../src/platform/redis-connection.js';
import { buildOutboxEntry } from './support/factories.js';
import { useIsolatedServices } from './support/isolated.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

// A database and a Redis of our own: the counts on the page are exactly what this file made.
const iso = useIsolatedServices();
let services: ReturnType<typeof createQueues> | undefined;
afterAll(async () => {
  if (services) await closeQueues(services.queues, services.connection);
});

const STATES = ['待機中', '実行中', '遅延（再試行待ち）', '失敗', '完了'];

/** The counts row of a queue, as the operator reads it: label, then one number per state. */
function countsRow(html: string, label: string): string[] | null {
  const row = new RegExp(`<th scope="row">${label}</th>([\\s\\S]*?)</tr>`).exec(html)?.[1];
  return row ? [...row.matchAll(/<td class="num">([\d,]+)<\/td>/g)].map((m) => m[1]!) : null;
}

async function addOutbox(ageMinutes: number[], relayed = 0) {
  const now = Date.now();
  const rows = [
    ...ageMinutes.map((m) => ({ at: new Date(now - m * 60_000), relayed_at: null })),
    ...Array.from({ length: relayed }, () => ({ at: new Date(now - 600 * 60_000), relayed_at: new Date() })),
  ];
  for (const r of rows) await buildOutboxEntry(iso.deps, { createdAt: r.at, relayedAt: r.relayed_at });
}

describe('queue health in the console', () => {
  it('when jobs wait, run later, fail and complete, then the jobs page counts them per queue and state, with the outbox backlog', async () => {
    services = createQueues(iso.config);
    const { fulfilment, maintenance } = services.queues;
    // maintenance: one job completes, one fails for good.
    await maintenance.add('close', {}, { jobId: 'close-ok', attempts: 1 });
    await maintenance.add('purge', {}, { jobId: 'purge-bad', attempts: 1 });
    const conn = createRedis(iso.config, 'worker');
    const worker = new Worker(
      'maintenance',
      async (job) => {
        if (job.name === 'purge') throw new Error('disk full');
      },
      { connection: conn, prefix: iso.config.REDIS_PREFIX },
    );
    const settled = async () => {
      const c = await maintenance.getJobCounts('completed', 'failed');
      return c.completed === 1 && c.failed === 1;
    };
    for (let i = 0; i < 200 && !(await settled()); i++) await new Promise((r) => setTimeout(r, 25));
    await worker.close();
    await conn.quit();
    // fulfilment: two waiting, one delayed.
    await fulfilment.add('fulfil', {}, { jobId: 'fulfil-a' });
    await fulfilment.add('fulfil', {}, { jobId: 'fulfil-b' });
    await fulfilment.add('fulfil', {}, { jobId: 'fulfil-c', delay: 3_600_000 });
    await addOutbox([125, 30, 2], 4);

    // As a web process has them: made when the jobs page is first opened, not before.
    let made = 0;
    const queues = services.queues;
    const app = createApp(iso.deps, { queues: async () => (made++, queues) });
    const ops = await new OpsBrowser(app).signIn(await buildStaff(iso.deps, 'supervisor'));
    expect(made).toBe(0);
    const page = await ops.get('/ops/jobs');
    expect(page.status).toBe(200);
    expect(made).toBe(1);
    for (const s of STATES) expect(page.text).toContain(`<th scope="col" class="num">${s}</th>`);
    expect(countsRow(page.text, 'お詫びの品の発行')).toEqual(['2', '0', '1', '0', '0']);
    expect(countsRow(page.text, '定期処理')).toEqual(['0', '0', '0', '1', '1']);
    expect(countsRow(page.text, 'お客様データの取り込み')).toEqual(['0', '0', '0', '0', '0']);
    expect(page.text).toMatch(/<dt>件数<\/dt><dd>3 件<\/dd>/);
    expect(page.text).toMatch(/<dt>最も古い依頼<\/dt><dd>[^<]*（2時間5分前）<\/dd>/);
    // The failed job is listed under its Japanese name; queue names are never shown raw.
    expect(page.text).toContain('<td>キャンペーンの個人情報の一括消去</td>');
    expect(page.text).not.toMatch(/キュー「(fulfilment|maintenance|imports)」/);
    expect(page.text).not.toContain('Redis に接続できない');
  });

  it('when Redis is down, then the jobs page still renders, says so in Japanese, and shows the outbox backlog', async () => {
    services ??= createQueues(iso.config);
    const app = createApp(iso.deps, { queues: services.queues });
    const ops = await new OpsBrowser(app).signIn(await buildStaff(iso.deps, 'admin'));
    await iso.stopRedis();
    try {
      const started = Date.now();
      const page = await ops.get('/ops/jobs');
      expect(page.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(page.text).toContain('Redis に接続できないため、キューの件数を表示できません。');
      expect(countsRow(page.text, 'お詫びの品の発行')).toEqual([]);
      expect(page.text).toContain('読み取れません（Redis に接続できません）');
      expect(page.text).toMatch(/<dt>件数<\/dt><dd>3 件<\/dd>/);
    } finally {
      await iso.startRedis();
    }
  });

  it('when the console has no queues at all, then the page says so and still shows the outbox backlog', async () => {
    const ops = await new OpsBrowser(createApp(iso.deps)).signIn(await buildStaff(iso.deps, 'supervisor'));
    const page = await ops.get('/ops/jobs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('ジョブキューに接続されていません。');
    expect(page.text).toMatch(/<dt>件数<\/dt><dd>3 件<\/dd>/);
  });
});
