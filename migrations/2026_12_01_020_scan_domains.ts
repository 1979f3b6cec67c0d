import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The purge's leftover check reads every text column of the campaign's rows for the sampled personal
// values. The customers' tombstones stay after a purge, and reading their leaked-item keys and
// erasure receipts was most of a purge's time (two scans of ~0.5 s per million customers). Both
// columns get a domain that says what they can hold; the check asks PostgreSQL whether any sampled
// value fits the domain (pg_input_is_valid) and reads the column only if one does. Leaked-item keys
// are the campaign definition's keys (^[a-z0-9_]+$); a receipt starts with 'ER-' (then a Japan date
// and the id; a LIKE, not a regular expression: the erasure writes a million receipts, and the
// expression cost 1.3 µs a value, 8 % of the erasure).
//
// The domains start without constraints so the type change relabels the column (no rewrite: the
// base type is the same), then get their constraints NOT VALID and are validated (one read).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create domain leaked_item_keys as text[]`.execute(db);
  await sql`create domain erasure_receipt as text`.execute(db);
  await sql`
    alter table customers
      alter column leaked_items type leaked_item_keys,
      alter column erasure_receipt type erasure_receipt`.execute(db);
  // The elements joined by commas, null shown as '*': one regular expression a row, no subquery.
  await sql`
    alter domain leaked_item_keys add constraint leaked_item_keys_check
      check (cardinality(value) = 0 or array_to_string(value, ',', '*') ~ '^[a-z0-9_]+(,[a-z0-9_]+)*$') not valid`.execute(
    db,
  );
  await sql`
    alter domain erasure_receipt add constraint erasure_receipt_check
      check (value like 'ER-%') not valid`.execute(db);
  await sql`alter domain leaked_item_keys validate constraint leaked_item_keys_check`.execute(db);
  await sql`alter domain erasure_receipt validate constraint erasure_receipt_check`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table customers
      alter column leaked_items type text[],
      alter column erasure_receipt type text`.execute(db);
  await sql`drop domain leaked_item_keys`.execute(db);
  await sql`drop domain erasure_receipt`.execute(db);
}
