import type { Generated } from 'kysely';

export interface SuppressionListTable {
  customer_id: string;
  campaign_id: string;
  customer_ref: string | null;
  requested_at: Date;
  exported_at: Date | null;
}

export interface PurgeReportTable {
  id: Generated<string>;
  campaign_id: string;
  started_at: Date;
  finished_at: Date;
  report: unknown;
}

export interface AlertTable {
  id: Generated<string>;
  campaign_id: string | null;
  kind: string;
  message: string;
  raised_at: Date;
  resolved_at: Date | null;
}
