export interface SuppressionListTable {
  customer_id: string;
  campaign_id: string;
  customer_ref: string | null;
  requested_at: Date;
  exported_at: Date | null;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    suppression_list: SuppressionListTable;
  }
}
