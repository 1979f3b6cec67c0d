import { Router, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { QUEUE } from '../platform/queues.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { QueueNotFound, QueuesNotConnected } from './jobs.errors.js';
import { JOBS_TEXT as T, jobLabel, queueLabel } from './jobs.messages.js';
import { retryJob, retryQueue } from './jobs.retry.js';
import { jobsPage } from './jobs.view.js';

type Queues = Record<string, Queue> | undefined;
/**
 * The queues, or how to make them on first use: a web process makes them only when someone opens
 * this page (BullMQ costs each process ~10 MB that customers' pages never need).
 */
export type QueueSource = Record<string, Queue> | (() => Promise<Record<string, Queue>>);
type Flash = { notice?: string; message?: string };

function pageOf(ctx: OpsContext, queuesNow: () => Promise<Queues>) {
  return async (req: Request, res: Response, flash: Flash = {}, status = 200) =>
    renderOps(
      ctx,
      req,
      res,
      'jobs/index',
      {
        ...(await jobsPage(ctx.deps.db, await queuesNow(), ctx.deps.now())),
        notice: flash.notice ?? null,
        message: flash.message ?? null,
        errors: {},
      },
      status,
    );
}

/** The queue named in the path: unknown names are 404, known ones without Redis 503. */
function queueOf(queues: Queues, name: string): Queue {
  const queue = queues && Object.hasOwn(queues, name) ? queues[name] : undefined;
  if (queue) return queue;
  if (!queues && (Object.values(QUEUE) as string[]).includes(name)) throw QueuesNotConnected();
  throw QueueNotFound();
}

/**
 * Queue health (jobs per state, the outbox's backlog) and dead jobs: visible per queue and
 * retryable, one or all. Every retry is audited. The page renders with Redis down, and says so.
 * The console's jobs page over these BullMQ queues (none in tests that need no Redis).
 */
export const jobsRoutes =
  (source?: QueueSource) =>
  (ctx: OpsContext): Router => {
    const router = Router();
    const { db, now } = ctx.deps;
    const queuesNow = async (): Promise<Queues> => (typeof source === 'function' ? source() : source);
    const page = pageOf(ctx, queuesNow);

    opsRoute(router, 'get', '/jobs', 'jobs', (req, res) => page(req, res));

    opsRoute(router, 'post', '/jobs/:queue/retry-all', 'jobs', async (req, res) => {
      const name = String(req.params.queue);
      const count = await retryQueue(db, queueOf(await queuesNow(), name), name, req.staff!.id, now);
      const label = queueLabel(name);
      await page(req, res, { notice: count > 0 ? T.retriedAll(label, count) : T.noneFailed(label) });
    });

    opsRoute(router, 'post', '/jobs/:queue/:id/retry', 'jobs', async (req, res) => {
      const name = String(req.params.queue);
      const id = String(req.params.id);
      const outcome = await retryJob(db, queueOf(await queuesNow(), name), name, id, req.staff!.id, now);
      if (outcome.kind === 'not-failed') return page(req, res, { message: T.notFailed(id) }, 409);
      await page(req, res, { notice: T.retried(id, jobLabel(outcome.name)) });
    });
    return router;
  };
