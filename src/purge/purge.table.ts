import type { Generated } from 'kysely';

export interface PurgeReportTable {
  id: Generated<string>;
  campaign_id: string;
  started_at: Date;
  finished_at: Date;
  report: unknown;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    purge_reports: PurgeReportTable;
  }
}
