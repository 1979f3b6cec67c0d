import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// Partition DDL of different campaigns at once can fail inside PostgreSQL: CI once failed two
// creates of a campaign's partitions with "cache lookup failed for constraint" (XX000) while other
// test files attached, dropped and discarded other campaigns' tables — an ATTACH clones the foreign
// keys of the shared parents and looked up a constraint row another transaction had just deleted.
// Not reproduced locally. Every function that makes, attaches or drops such tables now takes one
// transaction-scoped advisory lock first, so these statements run one at a time (each takes
// milliseconds; the index builds of a bulk load and the purge's TRUNCATE are not serialised).
// The functions keep their names and grants; their bodies move to *_serially.
const FUNCTIONS: { name: string; wait: string | null }[] = [
  // create_campaign_partitions keeps its quick return for a campaign that has its partitions.
  { name: 'create_campaign_partitions', wait: '500ms' },
  { name: 'bulk_load_begin', wait: null },
  { name: 'bulk_load_discard', wait: null },
  { name: 'bulk_load_clear_empty', wait: '500ms' },
  { name: 'bulk_load_attach', wait: '500ms' },
  { name: 'drop_campaign_personal_partitions', wait: '200ms' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, wait } of FUNCTIONS) {
    const inner = `${name}_serially`;
    await sql`alter function ${sql.id(name)}(bigint) rename to ${sql.id(inner)}`.execute(db);
    await sql`revoke execute on function ${sql.id(inner)}(bigint) from public`.execute(db);
    const quickReturn =
      name === 'create_campaign_partitions'
        ? sql`if to_regclass('customers_c' || campaign) is not null
                 and to_regclass('customer_personal_c' || campaign) is not null
                 and to_regclass('letter_tokens_c' || campaign) is not null then
                return;
              end if;`
        : sql``;
    // The wait for the lock is bounded like the DDL's own lock waits (the callers retry), except
    // for making and discarding a bulk load's own tables, which wait for their turn.
    const bound = wait ? sql`perform set_config('lock_timeout', ${sql.lit(wait)}, true);` : sql``;
    await sql`
      create function ${sql.id(name)}(campaign bigint) returns void
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        ${quickReturn}
        ${bound}
        perform pg_advisory_xact_lock(1129923, -1);
        perform ${sql.id(inner)}(campaign);
      end $$`.execute(db);
    await sql`revoke execute on function ${sql.id(name)}(bigint) from public`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { name } of FUNCTIONS) {
    await sql`drop function ${sql.id(name)}(bigint)`.execute(db);
    await sql`alter function ${sql.id(`${name}_serially`)}(bigint) rename to ${sql.id(name)}`.execute(db);
  }
}
