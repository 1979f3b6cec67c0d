import { Router, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import { audit } from '../audit/audit.service.js';
import { AppError, notFound } from '../platform/errors.js';
import { QUEUE } from '../platform/queues.js';
import { renderOps, type OpsContext } from '../operators/ops.context.js';
import { opsRoute } from '../operators/ops.registry.js';
import { JOBS_TEXT as T, jobLabel, queueLabel } from './jobs.messages.js';
import { JOB_ID, retryAllFailed, retryFailedJob } from './jobs.queues.js';
import { jobsPage } from './jobs.view.js';

/**
 * Queue health (jobs per state, the outbox's backlog) and dead jobs: visible per queue and
 * retryable, one or all. Every retry is audited. The page renders with Redis down, and says so.
 */
/** The console's jobs page over these BullMQ queues (none in tests that need no Redis). */
export const jobsRoutes =
  (queues: Record<string, Queue> | undefined) =>
  (ctx: OpsContext): Router => {
    const router = Router();
    const { db, now } = ctx.deps;

    const page = async (
      req: Request,
      res: Response,
      flash: { notice?: string; message?: string } = {},
      status = 200,
    ) =>
      renderOps(
        ctx,
        req,
        res,
        'jobs/index',
        {
          ...(await jobsPage(db, queues, now())),
          notice: flash.notice ?? null,
          message: flash.message ?? null,
          errors: {},
        },
        status,
      );

    /** The queue named in the path: unknown names are 404, known ones without Redis 503. */
    const queueOf = (name: string): Queue => {
      const queue = queues && Object.hasOwn(queues, name) ? queues[name] : undefined;
      if (queue) return queue;
      if (!queues && (Object.values(QUEUE) as string[]).includes(name))
        throw new AppError('unavailable', T.notConnected);
      throw notFound(T.queue);
    };

    opsRoute(router, 'get', '/jobs', 'jobs', (req, res) => page(req, res));

    opsRoute(router, 'post', '/jobs/:queue/retry-all', 'jobs', async (req, res) => {
      const name = String(req.params.queue);
      const count = await retryAllFailed(queueOf(name));
      await audit(
        db,
        {
          staffId: req.staff!.id,
          action: 'job.retry_all',
          targetType: 'queue',
          targetId: name,
          details: { count },
        },
        now(),
      );
      await page(req, res, {
        notice: count > 0 ? T.retriedAll(queueLabel(name), count) : T.noneFailed(queueLabel(name)),
      });
    });

    opsRoute(router, 'post', '/jobs/:queue/:id/retry', 'jobs', async (req, res) => {
      const name = String(req.params.queue);
      const queue = queueOf(name);
      const id = String(req.params.id);
      if (!JOB_ID.test(id)) throw notFound(T.job);
      const outcome = await retryFailedJob(queue, id);
      if (outcome.kind === 'not-found') throw notFound(T.job);
      if (outcome.kind === 'not-failed') return page(req, res, { message: T.notFailed(id) }, 409);
      await audit(
        db,
        {
          staffId: req.staff!.id,
          action: 'job.retry',
          targetType: 'job',
          targetId: `${name}/${id}`,
          details: { queue: name, name: outcome.name },
        },
        now(),
      );
      await page(req, res, { notice: T.retried(id, jobLabel(outcome.name)) });
    });

    return router;
  };
