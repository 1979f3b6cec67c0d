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

export type RedemptionRow = Selectable<RedemptionTable>;
export type NewRedemptionRow = Insertable<RedemptionTable>;
export type EmoneyCodeRow = Selectable<EmoneyCodeTable>;
