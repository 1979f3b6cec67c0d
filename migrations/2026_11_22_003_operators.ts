import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table staff (
      id bigint generated always as identity primary key,
      username text not null unique check (username ~ '^[a-z0-9._-]{3,40}$'),
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('admin', 'supervisor', 'clerk', 'auditor')),
      totp_secret text,
      failed_logins integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    -- Append-only and hash-chained: each entry's hash covers the previous hash and the entry.
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      staff_id bigint references staff(id),
      action text not null,
      target_type text,
      target_id text,
      campaign_id bigint references campaigns(id),
      reason text,
      details jsonb not null default '{}',
      prev_hash bytea not null,
      hash bytea not null unique
    );
    create index audit_log_at_idx on audit_log (at);
    create index audit_log_staff_idx on audit_log (staff_id, at);

    create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$;
    create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_is_append_only();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_is_append_only();
    revoke update, delete, truncate on audit_log from public;

    create table postcard_batches (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      label text not null,
      physical_count integer not null check (physical_count > 0),
      second_keying boolean not null default false,
      opened_by bigint not null references staff(id),
      opened_at timestamptz not null,
      closed_at timestamptz,
      closed_by bigint references staff(id)
    );

    create table postcard_entries (
      id bigint generated always as identity primary key,
      batch_id bigint not null references postcard_batches(id),
      campaign_id bigint not null references campaigns(id),
      seq integer not null,
      keying smallint not null default 1 check (keying in (1, 2)),
      registration_code text not null,
      customer_id bigint references customers(id),
      ticked_options text[] not null default '{}',
      data_choice text,
      postmark_date date,
      outcome text not null check (outcome in ('accepted', 'duplicate', 'late', 'invalid', 'pending_verification', 'mismatch')),
      reason text,
      redemption_id bigint references redemptions(id),
      entered_by bigint not null references staff(id),
      entered_at timestamptz not null,
      followup_resolved_at timestamptz,
      unique (batch_id, seq, keying)
    );
    create index postcard_entries_followup_idx on postcard_entries (campaign_id, outcome) where followup_resolved_at is null;

    alter table redemptions add column postcard_batch_id bigint references postcard_batches(id);
    alter table redemptions add column entered_by bigint references staff(id);

    create table import_runs (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      started_by bigint not null references staff(id),
      state text not null check (state in ('queued', 'running', 'done', 'failed')),
      rows_read integer not null default 0,
      imported integer not null default 0,
      report jsonb,
      letters_file text,
      letters_downloaded_at timestamptz,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table import_runs;
    alter table redemptions drop column entered_by;
    alter table redemptions drop column postcard_batch_id;
    drop table postcard_entries;
    drop table postcard_batches;
    drop trigger audit_log_no_truncate on audit_log;
    drop trigger audit_log_no_update on audit_log;
    drop table audit_log;
    drop function audit_log_is_append_only();
    drop table staff;
  `.execute(db);
}
