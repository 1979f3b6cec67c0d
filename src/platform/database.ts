import type { Kysely, Transaction } from 'kysely';
import type { LoginAttemptTable } from '../auth/auth.table.js';
import type { CampaignTable } from '../campaigns/campaign.table.js';
import type { CustomerPersonalTable, CustomerTable } from '../customers/customer.table.js';
import type { EmoneyCodeTable, RedemptionTable } from '../redemption/redemption.table.js';

export interface Database {
  campaigns: CampaignTable;
  customers: CustomerTable;
  customer_personal: CustomerPersonalTable;
  redemptions: RedemptionTable;
  emoney_codes: EmoneyCodeTable;
  login_attempts: LoginAttemptTable;
}

/** Repositories accept either the pool-backed handle or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
