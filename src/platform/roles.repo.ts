import { sql, type Kysely } from 'kysely';
import type pg from 'pg';

/**
 * The two database roles. The owner (MIGRATION_DATABASE_URL) owns every table and runs the
 * migrations; the service (DATABASE_URL) gets the DML it needs and, on the audit log and its
 * marker, INSERT and SELECT only: it cannot update, delete or truncate entries, and as it owns
 * nothing it cannot alter or disable their triggers (nor set session_replication_role, which
 * needs a superuser).
 */
const APPEND_ONLY_TABLES = ['audit_log', 'audit_chain_marker'];
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];
/** The owner's functions the service calls (partitions: migration 2026_12_01_014); no other role may. */
const SERVICE_FUNCTIONS = [
  'create_campaign_partitions(bigint)',
  'bulk_load_discard(bigint)',
  'bulk_load_begin(bigint)',
  'bulk_load_index(bigint, text)',
  'bulk_load_clear_empty(bigint)',
  'bulk_load_attach(bigint)',
  'drop_campaign_personal_partitions(bigint)',
  'empty_campaign_personal_partitions(bigint)',
  // The customers' hot statements (migration 2026_12_01_021); they run with the caller's rights.
  'judge_login_attempt(bigint, bytea, bytea, text, bytea, bytea, timestamptz, timestamptz, timestamptz, int, int, bytea, timestamptz, timestamptz, bytea)',
  'customer_status(bigint, bigint, bytea, timestamptz)',
  'record_web_redemption(bigint, bigint, text, text, text, int, text, boolean, date, timestamptz, bigint, bigint, text, text)',
];

/** Creates the service's login role, or resets its password (local clusters: quick start, tests). */
export async function ensureLoginRole(client: pg.ClientBase, role: string, password: string): Promise<void> {
  const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [role]);
  const verb = rowCount ? 'alter' : 'create';
  await client.query(
    `${verb} role ${client.escapeIdentifier(role)} login nosuperuser nocreatedb nocreaterole ` +
      `noreplication nobypassrls password ${client.escapeLiteral(password)}`,
  );
}

/** A local cluster (quick start, tests): its database, and the service's role (see ensureLoginRole). */
export async function ensureLocalDatabase(
  client: pg.ClientBase,
  database: string,
  role: string,
  password: string,
): Promise<void> {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
  if (!rowCount) await client.query(`create database ${client.escapeIdentifier(database)}`);
  await ensureLoginRole(client, role, password);
}

/** Who a connection is. */
export async function currentRole(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ role: string }>`select current_user as role`.execute(db);
  return rows[0]!.role;
}

/**
 * Grants the service role what it needs, as the owner, after migrating: on every table now, and by
 * default privileges on tables and sequences the owner creates later. Idempotent.
 */
export async function grantServiceRole(owner: Kysely<unknown>, role: string): Promise<void> {
  const r = sql.id(role);
  const tables = (names: string[]) => sql.join(names.map((n) => sql.id(n)));
  await owner.transaction().execute(async (trx) => {
    await sql`grant usage on schema public to ${r}`.execute(trx);
    await sql`grant select, insert, update, delete on all tables in schema public to ${r}`.execute(trx);
    await sql`grant usage, select on all sequences in schema public to ${r}`.execute(trx);
    await sql`revoke update, delete, truncate, references, trigger on ${tables(APPEND_ONLY_TABLES)} from ${r}`.execute(
      trx,
    );
    await sql`revoke insert, update, delete, truncate on ${tables(MIGRATION_TABLES)} from ${r}`.execute(trx);
    for (const fn of SERVICE_FUNCTIONS) {
      // Signatures are constants of this file, not input.
      if (await functionExists(trx, fn))
        await sql`grant execute on function ${sql.raw(fn)} to ${r}`.execute(trx);
    }
    await sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${r}`.execute(
      trx,
    );
    await sql`alter default privileges in schema public grant usage, select on sequences to ${r}`.execute(
      trx,
    );
  });
}

async function functionExists(db: Kysely<unknown>, signature: string): Promise<boolean> {
  const { rows } = await sql<{
    found: boolean;
  }>`select to_regprocedure(${signature}) is not null as found`.execute(db);
  return rows[0]!.found;
}

export interface RolePosture {
  role: string;
  /** A superuser, or the owner of the audit log: it could disable the trigger and rewrite entries. */
  canRewriteAudit: boolean;
  /** It may create tables in the schema: it can run the migrations itself (a single-role deployment). */
  canMigrate: boolean;
}

/** What the connection's role could do to the audit trail. */
export async function rolePosture(db: Kysely<unknown>): Promise<RolePosture> {
  const { rows } = await sql<{ role: string; rewrite: boolean; migrate: boolean }>`
    select current_user as role,
      (select rolsuper from pg_roles where rolname = current_user)
        or coalesce(pg_has_role((select relowner from pg_class where oid = to_regclass('public.audit_log')), 'USAGE'), false)
        or coalesce(has_table_privilege(to_regclass('public.audit_log'), 'UPDATE'), false) as rewrite,
      has_schema_privilege('public', 'CREATE') as migrate
  `.execute(db);
  const row = rows[0]!;
  return { role: row.role, canRewriteAudit: row.rewrite, canMigrate: row.migrate };
}

/** Names of the migrations already applied (none when the table is missing). */
export async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const { rows: exists } = await sql<{ t: string | null }>`
    select to_regclass('public.kysely_migration')::text as t`.execute(db);
  if (!exists[0]?.t) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.map((r) => r.name);
}
