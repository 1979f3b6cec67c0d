import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The purge's leftover check searched donation_ledger.recipient by reading every ledger row of the
// campaign (about 180 ms of a million-customer purge). With the recipient second in the campaign's
// index, the check probes the index for each sampled value instead. The index replaces the one on
// campaign_id alone, which it also serves (the guard's count, the ledger export).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index donation_ledger_campaign_recipient_idx on donation_ledger (campaign_id, recipient)`.execute(
    db,
  );
  await sql`drop index donation_ledger_campaign_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index donation_ledger_campaign_idx on donation_ledger (campaign_id)`.execute(db);
  await sql`drop index donation_ledger_campaign_recipient_idx`.execute(db);
}
