import type { Kysely } from 'kysely';
import type { Queue } from 'bullmq';
import { audit } from '../audit/audit.service.js';
import type { Database } from '../platform/database.js';
import { JobNotFound } from './jobs.errors.js';
import { JOB_ID, retryAllFailed, retryFailedJob, type RetryOutcome } from './jobs.queues.js';

/** Retrying dead jobs from the console, each retry audited (who, which queue or job). */

type Db = Kysely<Database>;

/** Every failed job of the queue back to waiting; returns how many there were. */
export async function retryQueue(db: Db, queue: Queue, name: string, staffId: string, now: () => Date) {
  const count = await retryAllFailed(queue);
  const target = { targetType: 'queue', targetId: name };
  await audit(db, { staffId, action: 'job.retry_all', ...target, details: { count } }, now());
  return count;
}

/** One failed job back to waiting; a job that is no longer failed is left alone (and not audited). */
export async function retryJob(
  db: Db,
  queue: Queue,
  name: string,
  id: string,
  staffId: string,
  now: () => Date,
): Promise<Exclude<RetryOutcome, { kind: 'not-found' }>> {
  if (!JOB_ID.test(id)) throw JobNotFound();
  const outcome = await retryFailedJob(queue, id);
  if (outcome.kind === 'not-found') throw JobNotFound();
  if (outcome.kind === 'retried') {
    const target = { targetType: 'job', targetId: `${name}/${id}` };
    await audit(
      db,
      { staffId, action: 'job.retry', ...target, details: { queue: name, name: outcome.name } },
      now(),
    );
  }
  return outcome;
}
