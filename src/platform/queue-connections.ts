import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobSink } from './outbox/relay.js';
import { QUEUE, type QueueName } from './queues.js';
import { createRedis, type RedisConfig } from './redis-connection.js';

/** Retries with exponential backoff; finished jobs are kept a while for the dashboard, then dropped. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export type Queues = Record<QueueName, Queue>;

/** Producers fail fast while Redis is down (the outbox keeps the work), instead of queueing in memory. */
export function createQueues(config: RedisConfig): { queues: Queues; connection: Redis } {
  const connection = createRedis(config, 'queues');
  return { queues: queuesOn(connection, config), connection };
}

/** The queues over a connection made with createRedis(config, 'queues'). */
export function queuesOn(connection: Redis, config: Pick<RedisConfig, 'REDIS_PREFIX'>): Queues {
  const make = (name: QueueName) => {
    const q = new Queue(name, {
      connection,
      prefix: config.REDIS_PREFIX,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    q.on('error', () => undefined); // an outage is reported by the relay and /readyz, once
    return q;
  };
  return {
    fulfilment: make(QUEUE.fulfilment),
    maintenance: make(QUEUE.maintenance),
    imports: make(QUEUE.imports),
  };
}

export function queueSink(queues: Queues): JobSink {
  return {
    async addBulk(queue, jobs) {
      const q = queues[queue as QueueName];
      if (!q) throw new Error(`unknown queue ${queue}`);
      await q.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: { jobId: j.jobId } })));
    },
  };
}

export async function closeQueues(queues: Queues, connection: Redis): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
  connection.disconnect();
}
