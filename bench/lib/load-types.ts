/** What the load client is told to do, and what it reports back (also across the process boundary). */

export type Scenario = 'redeem' | 'baseline';

export interface LoadConfig {
  scenario: Scenario;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** redeem: campaign slug and a file of "code<TAB>key" lines, one customer each. */
  slug?: string;
  credsFile?: string;
  /** redeem: index of the first customer of the file to use (earlier ones were used by an earlier run). */
  firstCustomer?: number;
  /** redeem: send X-Forwarded-For with one address per customer (a service behind a proxy). */
  distinctClientIps?: boolean;
}

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

export interface LoadResult extends LatencySummary {
  scenario: Scenario;
  clients: number;
  duration_s: number;
  requests: number;
  requests_per_s: number;
  errors: number;
  error_kinds: Record<string, number>;
  /** redeem only */
  redemptions: number;
  redemptions_per_s: number;
  redemptions_by_option: Record<string, number>;
  customers_used: number;
  customers_exhausted: boolean;
  steps: Record<string, LatencySummary>;
  warmup_requests: number;
  client_cpu_s: number;
}

export type Phase = 'measure' | 'done';
