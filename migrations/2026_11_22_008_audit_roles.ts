import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// From here on the audit chain is an HMAC keyed by AUDIT_HMAC_KEY, which the database never sees,
// so existing entries cannot be re-chained here: they keep the unkeyed SHA-256 rule up to the
// boundary recorded below (the newest id now; 0 on a fresh database) and the first keyed entry
// links to the last of them. The chain's appenders take the same advisory lock, so no entry is
// written while the boundary is read. Stop processes of the previous release before migrating:
// one still running would append unkeyed entries after the boundary, which verification reports.
//
// The service's own role (DATABASE_URL) gets its privileges from the grant step that runs after
// every migration (src/platform/migrate.ts): INSERT and SELECT only on these two tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${0x4f574155})`.execute(db);
  await sql`
    create table audit_chain_marker (
      id smallint primary key check (id = 1),
      legacy_up_to_id bigint not null,
      created_at timestamptz not null default now()
    );
    insert into audit_chain_marker (id, legacy_up_to_id) select 1, coalesce(max(id), 0) from audit_log;
    create trigger audit_chain_marker_no_update before update or delete on audit_chain_marker
      for each row execute function audit_log_is_append_only();
    create trigger audit_chain_marker_no_truncate before truncate on audit_chain_marker
      for each statement execute function audit_log_is_append_only();
    revoke update, delete, truncate on audit_chain_marker from public;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_chain_marker`.execute(db);
}
