import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Customer sessions, revocable: the cookie's token names a row by the digest of its random id.
    -- Checked on every customer page (primary key), deleted at logout, ended by the trigger below.
    create table customer_sessions (
      id bytea primary key,
      customer_id bigint not null references customers(id) on delete cascade,
      campaign_id bigint not null references campaigns(id),
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index customer_sessions_customer_idx on customer_sessions (customer_id);
    create index customer_sessions_expiry_idx on customer_sessions (expires_at);

    -- A new login key or an erasure ends every session of the customer, whichever code path
    -- (contact centre, erase job, import) makes the change.
    create function end_customer_sessions() returns trigger language plpgsql as $$
    begin
      delete from customer_sessions where customer_id = new.id;
      return null;
    end $$;
    create trigger customers_end_sessions
      after update of login_key_hash, erased_at on customers
      for each row
      when (old.login_key_hash is distinct from new.login_key_hash
            or (old.erased_at is null and new.erased_at is not null))
      execute function end_customer_sessions();

    -- Login throttle: an attempt is recorded as pending before it is judged, then counted with the
    -- failures (record, then count: concurrent guesses see each other).
    alter table login_attempts drop constraint login_attempts_outcome_check;
    alter table login_attempts add constraint login_attempts_outcome_check
      check (outcome in ('pending', 'success', 'failure', 'locked', 'throttled'));
    create index login_attempts_code_counted_idx on login_attempts (code_digest, at)
      where outcome in ('failure', 'pending');
    create index login_attempts_client_counted_idx on login_attempts (client_digest, at)
      where outcome in ('failure', 'pending');
    drop index login_attempts_code_idx;
    drop index login_attempts_client_idx;

    -- What contact-centre staff typed (reasons, request and decision notes). Kept out of the
    -- append-only audit log, which refers to a note by id, so the campaign's purge can delete them.
    create table contact_notes (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      customer_id bigint not null references customers(id),
      staff_id bigint not null references staff(id),
      at timestamptz not null,
      body text not null
    );
    create index contact_notes_campaign_idx on contact_notes (campaign_id);

    -- Requests that need a second person: a reissued letter, an immediate erasure.
    create table contact_requests (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('reissue', 'erasure')),
      campaign_id bigint not null references campaigns(id),
      customer_id bigint not null references customers(id),
      status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
      requested_by bigint not null references staff(id),
      requested_at timestamptz not null,
      request_note_id bigint references contact_notes(id) on delete set null,
      decided_by bigint references staff(id),
      decided_at timestamptz,
      decision_note_id bigint references contact_notes(id) on delete set null,
      outcome jsonb,
      -- A reissue's one-letter print file (a name under DATA_DIR/letters), until it is downloaded.
      print_file text,
      downloaded_by bigint references staff(id),
      downloaded_at timestamptz,
      -- The second person, enforced by the database as well as the service.
      check (status <> 'approved' or decided_by <> requested_by),
      check (downloaded_by is null or downloaded_by <> requested_by)
    );
    create unique index contact_requests_one_pending_idx on contact_requests (customer_id, kind)
      where status = 'pending';
    create index contact_requests_recent_idx on contact_requests (requested_at desc);
    create index contact_requests_campaign_idx on contact_requests (campaign_id);

    -- Look-ups per staff member (rate limit): recorded, then counted.
    create table contact_lookups (
      id bigint generated always as identity primary key,
      staff_id bigint not null references staff(id),
      at timestamptz not null
    );
    create index contact_lookups_staff_idx on contact_lookups (staff_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table contact_lookups;
    drop table contact_requests;
    drop table contact_notes;
    create index login_attempts_code_idx on login_attempts (code_digest, at) where outcome = 'failure';
    create index login_attempts_client_idx on login_attempts (client_digest, at) where outcome = 'failure';
    drop index login_attempts_code_counted_idx;
    drop index login_attempts_client_counted_idx;
    delete from login_attempts where outcome = 'pending';
    alter table login_attempts drop constraint login_attempts_outcome_check;
    alter table login_attempts add constraint login_attempts_outcome_check
      check (outcome in ('success', 'failure', 'locked', 'throttled'));
    drop trigger customers_end_sessions on customers;
    drop function end_customer_sessions();
    drop table customer_sessions;
  `.execute(db);
}
