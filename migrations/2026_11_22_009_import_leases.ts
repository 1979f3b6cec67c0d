import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One import per campaign at a time. A lease rather than a session's advisory lock: the service
    -- may reach PostgreSQL through PgBouncer in transaction pooling mode, where no session outlives
    -- a transaction. Its holder renews it while it works and deletes it at the end; a crashed
    -- holder's lease expires, and the next import of the campaign takes it over.
    create table import_leases (
      campaign_id bigint primary key references campaigns(id),
      holder uuid not null,
      expires_at timestamptz not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_leases`.execute(db);
}
