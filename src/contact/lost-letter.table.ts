import type { Generated } from 'kysely';

/** One lost-letter search by a staff member (migration 2026_11_30_011), counted by its hourly limit. */
export interface LostLetterSearchTable {
  id: Generated<string>;
  staff_id: string;
  at: Date;
}

declare module '../platform/database.js' {
  interface Database {
    lost_letter_searches: LostLetterSearchTable;
  }
}
