import type { Generated, Selectable } from 'kysely';
import type { DataChoice, GiftOption } from './redemption.table.js';

export type ChangeChannel = 'web' | 'api';

/** A customer's change of mind: what their redemption was before and after, and when. */
export interface RedemptionChangeTable {
  id: Generated<string>;
  redemption_id: string;
  campaign_id: string;
  changed_at: Date;
  channel: ChangeChannel;
  option_before: GiftOption;
  option_after: GiftOption;
  amount_yen_before: number;
  amount_yen_after: number;
  data_choice_before: DataChoice;
  data_choice_after: DataChoice;
  address_changed: Generated<boolean>;
}

export type RedemptionChangeRow = Selectable<RedemptionChangeTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    redemption_changes: RedemptionChangeTable;
  }
}
