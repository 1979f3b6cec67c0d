import type { Generated, Selectable } from 'kysely';

export interface ImportRunTable {
  id: Generated<string>;
  campaign_id: string;
  started_by: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  rows_read: Generated<number>;
  imported: Generated<number>;
  report: unknown | null;
  letters_file: string | null;
  letters_downloaded_at: Date | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export type ImportRunRow = Selectable<ImportRunTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    import_runs: ImportRunTable;
  }
}
