import type { Kysely, Transaction } from 'kysely';
import type { OutboxTable } from './outbox/outbox.table.js';
import type { AuditChainMarkerTable, AuditLogTable } from '../audit/audit.table.js';
import type { ImportRunTable, StaffTable } from '../operators/staff.table.js';
import type { PostcardBatchTable, PostcardEntryTable } from '../postcards/postcard.table.js';
import type { AlertTable, PurgeReportTable, SuppressionListTable } from '../erasure/erasure.table.js';
import type {
  DonationLedgerTable,
  ShippingBatchTable,
  ShippingLineTable,
} from '../fulfilment/fulfilment.table.js';
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
  outbox: OutboxTable;
  shipping_batches: ShippingBatchTable;
  shipping_lines: ShippingLineTable;
  donation_ledger: DonationLedgerTable;
  suppression_list: SuppressionListTable;
  purge_reports: PurgeReportTable;
  alerts: AlertTable;
  staff: StaffTable;
  audit_log: AuditLogTable;
  audit_chain_marker: AuditChainMarkerTable;
  postcard_batches: PostcardBatchTable;
  postcard_entries: PostcardEntryTable;
  import_runs: ImportRunTable;
}

/** Repositories accept either the pool-backed handle or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
