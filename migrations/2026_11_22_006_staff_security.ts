import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// TOTP secrets already stored in plain text are not touched in SQL (the key lives in the service's
// environment, not in the database): the service encrypts each one the next time it reads it, at
// that operator's sign-in (src/operators/staff-totp.service.ts), and an administrator's TOTP reset
// removes one outright.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- An account made by an administrator has no password until its owner sets one through the
    -- one-time enrolment link; a password reset removes it again.
    alter table staff alter column password_hash drop not null;
    -- The last TOTP time step accepted for the account: a code of that step or an earlier one is
    -- refused (set atomically, with a conditional UPDATE).
    alter table staff add column totp_last_step bigint;
    alter table staff add column password_changed_at timestamptz;

    -- A server-side session per sign-in. The cookie carries a random 256-bit token; only its HMAC
    -- is stored, so a copy of this table opens nothing. mfa = false: the password was checked and
    -- the second factor is pending (totp_failures counts that state's wrong codes).
    create table staff_sessions (
      id bytea primary key,
      staff_id bigint not null references staff(id) on delete cascade,
      mfa boolean not null,
      totp_failures integer not null default 0,
      created_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index staff_sessions_staff_idx on staff_sessions (staff_id);

    -- One-time enrolment links (SHA-256 of the token only), each with the TOTP secret it offers
    -- (encrypted like staff.totp_secret).
    create table staff_enrolment_links (
      token_hash bytea primary key,
      staff_id bigint not null references staff(id) on delete cascade,
      totp_secret text not null,
      created_by bigint references staff(id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index staff_enrolment_links_staff_idx on staff_enrolment_links (staff_id);

    -- Recovery codes, argon2id-hashed; a row is deleted when its code is used.
    create table staff_recovery_codes (
      id bigint generated always as identity primary key,
      staff_id bigint not null references staff(id) on delete cascade,
      code_hash text not null,
      created_at timestamptz not null
    );
    create index staff_recovery_codes_staff_idx on staff_recovery_codes (staff_id);

    -- Failed console sign-ins per client address (an IPv6 address by its /64), per minute.
    create table staff_login_clients (
      client text primary key,
      window_start timestamptz not null,
      failures integer not null
    );
    create index staff_login_clients_window_idx on staff_login_clients (window_start);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table staff_login_clients;
    drop table staff_recovery_codes;
    drop table staff_enrolment_links;
    drop table staff_sessions;
    alter table staff drop column password_changed_at;
    alter table staff drop column totp_last_step;
  `.execute(db);
}
