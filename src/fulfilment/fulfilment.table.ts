import type { Generated } from 'kysely';

export interface ShippingBatchTable {
  id: Generated<string>;
  campaign_id: string;
  line_count: number;
  cut_at: Date;
  manifest_file: string | null;
  shipped_at: Date | null;
}

export interface ShippingLineTable {
  redemption_id: string;
  batch_id: string;
  line_no: number;
  tracking_number: string | null;
}

export interface DonationLedgerTable {
  redemption_id: string;
  campaign_id: string;
  recipient: string;
  amount_yen: number;
  booked_at: Date;
  /** Always 'donation': part of the key to the redemption it books (migration 2026_12_01_022). */
  option: Generated<'donation'>;
}

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    shipping_batches: ShippingBatchTable;
    shipping_lines: ShippingLineTable;
    donation_ledger: DonationLedgerTable;
  }
}
