import type { Generated, Selectable } from 'kysely';

/** Pre-purchased e-money codes of a campaign's pool; allocated to a redemption once, never reused. */
export interface EmoneyCodeTable {
  id: Generated<string>;
  campaign_id: string;
  brand: string;
  code: string;
  amount_yen: number;
  redemption_id: string | null;
  allocated_at: Date | null;
  created_at: Generated<Date>;
}

export type EmoneyCodeRow = Selectable<EmoneyCodeTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    emoney_codes: EmoneyCodeTable;
  }
}
