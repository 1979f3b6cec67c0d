/**
 * Queue and job names, shared by producers (the outbox relay, schedulers) and the worker.
 * Payloads carry identifiers only — never personal data. Every queue keeps its keys under the
 * configured REDIS_PREFIX (config.REDIS_PREFIX; src/platform/queue-keys.ts reads them directly).
 */

/** Imports have a queue of their own: an hours-long import must not hold up closing or purging. */
export const QUEUE = { fulfilment: 'fulfilment', maintenance: 'maintenance', imports: 'imports' } as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export interface JobPayloads {
  fulfil: { redemptionId: string; campaignId: string };
  'fulfil-pending': Record<string, never>;
  'cut-batches': Record<string, never>;
  erase: Record<string, never>;
  close: Record<string, never>;
  purge: Record<string, never>;
  'check-deadlines': Record<string, never>;
  'export-suppression': Record<string, never>;
  'import-customers': { importRunId: string };
  'check-pool-stock': Record<string, never>;
  /** The audit chain's head to AUDIT_HEAD_FILE, outside the database. */
  'export-audit-head': Record<string, never>;
  /** Orphaned uploads (customer CSVs, gift-code files): temporary files, and stored CSVs no run reads. */
  'sweep-uploads': Record<string, never>;
  /** JSON API Idempotency-Keys older than they are kept (24 h). */
  'sweep-api-keys': Record<string, never>;
  'sweep-login-throttle': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  fulfil: QUEUE.fulfilment,
  'fulfil-pending': QUEUE.maintenance,
  'cut-batches': QUEUE.maintenance,
  erase: QUEUE.maintenance,
  close: QUEUE.maintenance,
  purge: QUEUE.maintenance,
  'check-deadlines': QUEUE.maintenance,
  'export-suppression': QUEUE.maintenance,
  'import-customers': QUEUE.imports,
  'check-pool-stock': QUEUE.maintenance,
  'export-audit-head': QUEUE.maintenance,
  'sweep-uploads': QUEUE.maintenance,
  'sweep-api-keys': QUEUE.maintenance,
  'sweep-login-throttle': QUEUE.maintenance,
};

/** Business keys: BullMQ refuses a second job with the same id, so a re-relay never doubles work. */
export const fulfilJobId = (redemptionId: string) => `fulfil-${redemptionId}`;
