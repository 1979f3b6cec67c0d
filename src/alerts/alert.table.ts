import type { Generated } from 'kysely';

/** Operators' banner: one open alert per campaign and kind (deadline risks, refused purges, low stock). */
export interface AlertTable {
  id: Generated<string>;
  campaign_id: string | null;
  kind: string;
  message: string;
  raised_at: Date;
  resolved_at: Date | null;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    alerts: AlertTable;
  }
}
