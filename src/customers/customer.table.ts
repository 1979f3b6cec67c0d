import type { Generated, Insertable, Selectable } from 'kysely';

export interface CustomerTable {
  id: Generated<string>;
  campaign_id: string;
  registration_code: string;
  login_key_hash: Buffer;
  source_ref_hash: Buffer;
  leaked_items: string[];
  erasure_requested_before: Generated<boolean>;
  erased_at: Date | null;
  erasure_receipt: string | null;
  created_at: Generated<Date>;
}

export interface HouseholdMember {
  name: string;
  relation: string;
  birthDate: string | null;
}

export interface CustomerPersonalTable {
  customer_id: string;
  campaign_id: string;
  full_name: string;
  full_name_kana: string | null;
  birth_date: string | null;
  postal_code: string;
  address: string;
  phone: string | null;
  email: string | null;
  household: HouseholdMember[];
  person_digest: Buffer;
  /** Keyed digest of kana name, birth date and postal code (lost-letter.ts); null when one is unknown. */
  lost_letter_digest: Buffer | null;
  ship_postal_code: string | null;
  ship_address: string | null;
  customer_ref: Generated<string | null>;
}

export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerPersonalRow = Selectable<CustomerPersonalTable>;

// This domain owns these tables; the shared Database type is the union of every domain's part.
declare module '../platform/database.js' {
  interface Database {
    customers: CustomerTable;
    customer_personal: CustomerPersonalTable;
  }
}
