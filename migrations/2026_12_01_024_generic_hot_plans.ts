import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The hot functions of migration 021 read the campaign-partitioned tables. Creating or dropping any
// campaign's partition invalidates their kept plans on every connection; under plan_cache_mode =
// auto each statement is then planned afresh for five calls before a generic plan is weighed (so a
// test reading the plan cache while other tests create campaigns often found none: CI failed on
// it). Forced, the generic plan is made at the first call after the change and prunes partitions
// when it runs; with 201 partitions of customers it was still the plan kept under auto, so this
// changes when the plan is made, not which plan runs.
const FUNCTIONS = ['judge_login_attempt', 'customer_status', 'record_web_redemption'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const f of FUNCTIONS)
    await sql`alter function ${sql.id(f)} set plan_cache_mode = force_generic_plan`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const f of FUNCTIONS) await sql`alter function ${sql.id(f)} reset plan_cache_mode`.execute(db);
}
