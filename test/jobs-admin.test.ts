import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../src/app/create-app.js';
import { useTestDeps } from './support/context.js';
import { buildStaff, OpsBrowser } from './support/ops.js';

const deps = useTestDeps();
// Our own key prefix: other test files' queues (and the worker tests) never see these jobs.
const prefix = `t-jobs-${randomUUID().slice(0, 8)}`;
const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
const queues = {
  fulfilment: new Queue('fulfilment', { connection, prefix }),
  maintenance: new Queue('maintenance', { connection, prefix }),
};
const app = createApp(deps, { queues });

afterAll(async () => {
  for (const q of Object.values(queues)) {
    await q.obliterate({ force: true });
    await q.close();
  }
  await connection.quit();
});

/** Adds jobs and lets a worker fail each of them for good (one attempt). */
async function failJobs(queue: Queue, jobs: { name: string; id: string; data: object }[], reason: string) {
  for (const j of jobs) await queue.add(j.name, j.data, { jobId: j.id, attempts: 1 });
  const workerConnection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const worker = new Worker(
    queue.name,
    async () => {
      throw new Error(reason);
    },
    { connection: workerConnection, prefix },
  );
  try {
    const ids = new Set(jobs.map((j) => j.id));
    for (let i = 0; i < 200; i++) {
      const failed = await queue.getFailed(0, -1);
      if (failed.filter((f) => ids.has(String(f.id))).length === ids.size) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('jobs did not fail in time');
  } finally {
    await worker.close();
    await workerConnection.quit();
  }
}

const auditOf = (staffId: string) =>
  deps.db
    .selectFrom('audit_log')
    .select(['action', 'target_type', 'target_id', 'details'])
    .where('staff_id', '=', staffId)
    .where('action', 'like', 'job.%')
    .orderBy('id')
    .execute();

describe('failed jobs in the console', () => {
  it('when jobs failed for good, then the page lists name, id, attempts, reason and time, and never their data', async () => {
    const id = `fulfil-${randomUUID()}`;
    await failJobs(
      queues.fulfilment,
      [{ name: 'fulfil', id, data: { redemptionId: '1', campaignId: '1', marker: 'JOB-DATA-NOT-SHOWN' } }],
      'vendor answered 503',
    );
    const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, 'supervisor'));
    const page = await ops.get('/ops/jobs');
    expect(page.status).toBe(200);
    expect(page.text).toContain(id);
    expect(page.text).toContain('vendor answered 503');
    expect(page.text).toContain('fulfil');
    expect(page.text).toMatch(/<td class="num">1<\/td>/);
    expect(page.text).not.toContain('JOB-DATA-NOT-SHOWN');
    expect(page.text).not.toContain('redemptionId');
  });

  it('when a failed job is retried, then it waits again, the retry is audited, and a second retry is refused', async () => {
    const id = `fulfil-${randomUUID()}`;
    await failJobs(queues.fulfilment, [{ name: 'fulfil', id, data: { redemptionId: '2' } }], 'boom');
    const staff = await buildStaff(deps, 'supervisor');
    const ops = await new OpsBrowser(app).signIn(staff);

    const res = await ops.post(`/ops/jobs/fulfilment/${encodeURIComponent(id)}/retry`, {}, '/ops/jobs');
    expect(res.status).toBe(200);
    expect(res.text).toContain('再実行に回しました');
    expect(await (await queues.fulfilment.getJob(id))!.getState()).toBe('waiting');
    expect(await auditOf(staff.id)).toEqual([
      {
        action: 'job.retry',
        target_type: 'job',
        target_id: `fulfilment/${id}`,
        details: { queue: 'fulfilment', name: 'fulfil' },
      },
    ]);

    const again = await ops.post(`/ops/jobs/fulfilment/${encodeURIComponent(id)}/retry`, {}, '/ops/jobs');
    expect(again.status).toBe(409);
    expect(again.text).toContain('失敗した状態ではありません');
    expect(await auditOf(staff.id)).toHaveLength(1);
  });

  it('when "retry all" is pressed, then every failed job of that queue waits again and the count is audited', async () => {
    const ids = [1, 2, 3].map((i) => `check-deadlines-${i}-${randomUUID()}`);
    await failJobs(
      queues.maintenance,
      ids.map((id) => ({ name: 'check-deadlines', id, data: {} })),
      'database unavailable',
    );
    const failedBefore = await queues.maintenance.getFailedCount();
    const staff = await buildStaff(deps, 'admin');
    const ops = await new OpsBrowser(app).signIn(staff);

    const res = await ops.post('/ops/jobs/maintenance/retry-all', {}, '/ops/jobs');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`失敗したジョブ ${failedBefore} 件を再実行に回しました`);
    expect(await queues.maintenance.getFailedCount()).toBe(0);
    for (const id of ids) expect(await (await queues.maintenance.getJob(id))!.getState()).toBe('waiting');
    expect(await auditOf(staff.id)).toEqual([
      {
        action: 'job.retry_all',
        target_type: 'queue',
        target_id: 'maintenance',
        details: { count: failedBefore },
      },
    ]);
  });

  it('when the queue or the job does not exist, then 404 and nothing is audited', async () => {
    const staff = await buildStaff(deps, 'supervisor');
    const ops = await new OpsBrowser(app).signIn(staff);
    expect((await ops.post('/ops/jobs/nope/retry-all', {}, '/ops/jobs')).status).toBe(404);
    expect((await ops.post('/ops/jobs/fulfilment/fulfil-does-not-exist/retry', {}, '/ops/jobs')).status).toBe(
      404,
    );
    expect((await ops.post('/ops/jobs/fulfilment/%20bad%20id/retry', {}, '/ops/jobs')).status).toBe(404);
    expect(await auditOf(staff.id)).toEqual([]);
  });

  it('when the console has no queues, then the page says so and a retry answers 503', async () => {
    const bare = createApp(deps);
    const ops = await new OpsBrowser(bare).signIn(await buildStaff(deps, 'supervisor'));
    const page = await ops.get('/ops/jobs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('ジョブキューに接続されていません');
    const res = await ops.post('/ops/jobs/fulfilment/fulfil-1/retry', {}, '/ops/jobs');
    expect(res.status).toBe(503);
    expect(res.text).toContain('ジョブキューに接続されていません');
  });

  it('when a clerk or an auditor opens the jobs page, then it is forbidden', async () => {
    for (const role of ['clerk', 'auditor'] as const) {
      const ops = await new OpsBrowser(app).signIn(await buildStaff(deps, role));
      expect((await ops.get('/ops/jobs')).status).toBe(403);
    }
  });
});
