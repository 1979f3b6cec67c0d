import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process; the web serves it on /metrics, the worker on its metrics port. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'owabi_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'owabi_job_duration_seconds',
  help: 'Job duration by name and outcome',
  labelNames: ['name', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
  registers: [registry],
});

export const jobFailures = new Counter({
  name: 'owabi_job_failures_total',
  help: 'Failed job attempts by name',
  labelNames: ['name'] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'owabi_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

export const outboxPending = new Gauge({
  name: 'owabi_outbox_pending',
  help: 'Job intents committed but not yet handed to the queue',
  registers: [registry],
});

export const purgeRiskItems = new Gauge({
  name: 'owabi_purge_risk_items',
  help: 'Items that would keep personal data past the purge deadline, by campaign and kind',
  labelNames: ['campaign', 'kind'] as const,
  registers: [registry],
});
