import type { Generated, Insertable, Selectable } from 'kysely';

export type Channel = 'web' | 'postcard';
export type GiftOption = 'emoney' | 'book_card' | 'donation';
export type DataChoice = 'none' | 'marketing_optout' | 'erasure';

export interface RedemptionTable {
  id: Generated<string>;
  customer_id: string;
  campaign_id: string;
  channel: Channel;
  option: GiftOption;
  brand: string | null;
  amount_yen: number;
  data_choice: DataChoice;
  address_confirmed: Generated<boolean>;
  postmark_date: string | null;
  redeemed_at: Generated<Date>;
  fulfilled_at: Date | null;
  postcard_batch_id: Generated<string | null>;
  entered_by: Generated<string | null>;
}

export type RedemptionRow = Selectable<RedemptionTable>;
export type NewRedemptionRow = Insertable<RedemptionTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    redemptions: RedemptionTable;
  }
}
