export interface ImportLeaseTable {
  campaign_id: string;
  /** Who holds it: a random id per holding, so a retried job is a holder of its own. */
  holder: string;
  /** Renewed while the holder works; once past, the next import of the campaign may take it. */
  expires_at: Date;
}

// This domain owns this table; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    import_leases: ImportLeaseTable;
  }
}
