import type { JobName } from '../src/platform/queues.js';
import { JOB_QUEUE } from '../src/platform/queues.js';
import type { Queues } from '../src/platform/queue-connections.js';

/** Recurring work. Every one of these can also be run once: `npm run job -- NAME`. */
export const SCHEDULES: { name: JobName; everyMs: number }[] = [
  { name: 'fulfil-pending', everyMs: 10 * 60_000 },
  { name: 'cut-batches', everyMs: 60 * 60_000 },
  { name: 'erase', everyMs: 5 * 60_000 },
  { name: 'close', everyMs: 60_000 },
  { name: 'check-deadlines', everyMs: 60 * 60_000 },
  { name: 'purge', everyMs: 60 * 60_000 },
  { name: 'export-suppression', everyMs: 15 * 60_000 },
  { name: 'check-pool-stock', everyMs: 5 * 60_000 },
  { name: 'export-audit-head', everyMs: 5 * 60_000 },
  { name: 'sweep-uploads', everyMs: 60 * 60_000 },
  { name: 'sweep-api-keys', everyMs: 60 * 60_000 },
  { name: 'sweep-login-throttle', everyMs: 15 * 60_000 },
];

export async function registerSchedules(queues: Queues): Promise<void> {
  for (const s of SCHEDULES) {
    await queues[JOB_QUEUE[s.name]].upsertJobScheduler(
      s.name,
      { every: s.everyMs },
      { name: s.name, data: {} },
    );
  }
}
