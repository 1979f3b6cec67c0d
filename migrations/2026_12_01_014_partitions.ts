import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// A campaign's customers, their personal data and their letters' tokens live in partitions of their
// own (LIST by campaign_id). An import of a new campaign then loads plain tables without indexes and
// attaches them (src/imports/import.bulk*.ts), and a purge detaches and drops the campaign's personal
// partitions instead of deleting rows one by one (no dead tuples of personal data left anywhere).
//
// A partitioned table's unique keys must hold the partition key, so customers' key becomes
// (campaign_id, id) and every foreign key to a customer names both columns. Ids still come from one
// sequence, so an id alone still names one customer; registration codes are unique per campaign
// (every look-up by code names the campaign).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The foreign keys to customers(id) go first; they come back below on (campaign_id, customer_id).
    alter table customer_personal drop constraint customer_personal_customer_id_fkey;
    alter table redemptions drop constraint redemptions_customer_id_fkey;
    alter table login_attempts drop constraint login_attempts_customer_id_fkey;
    alter table suppression_list drop constraint suppression_list_customer_id_fkey;
    alter table postcard_entries drop constraint postcard_entries_customer_id_fkey;
    alter table customer_sessions drop constraint customer_sessions_customer_id_fkey;
    alter table contact_notes drop constraint contact_notes_customer_id_fkey;
    alter table contact_requests drop constraint contact_requests_customer_id_fkey;
    alter table api_idempotency_keys drop constraint api_idempotency_keys_customer_id_fkey;
    alter table letter_tokens drop constraint letter_tokens_customer_id_fkey;

    alter table customers rename to customers_unpartitioned;
    alter table customer_personal rename to customer_personal_unpartitioned;
    alter table letter_tokens rename to letter_tokens_unpartitioned;
    alter index customers_pkey rename to customers_unpartitioned_pkey;
    alter index customers_registration_code_key rename to customers_unpartitioned_code_key;
    alter index customers_campaign_id_source_ref_hash_key rename to customers_unpartitioned_ref_key;
    alter index customer_personal_pkey rename to customer_personal_unpartitioned_pkey;
    alter index customer_personal_person_idx rename to customer_personal_unpartitioned_person_idx;
    alter index customer_personal_lost_letter_idx rename to customer_personal_unpartitioned_lost_idx;
    alter index letter_tokens_pkey rename to letter_tokens_unpartitioned_pkey;
    alter index letter_tokens_customer_idx rename to letter_tokens_unpartitioned_customer_idx;
    drop trigger customers_end_sessions on customers_unpartitioned;

    create table customers (
      id bigint generated always as identity,
      campaign_id bigint not null references campaigns(id),
      registration_code text not null,
      login_key_hash bytea not null,
      source_ref_hash bytea not null,
      leaked_items text[] not null default '{}',
      erasure_requested_before boolean not null default false,
      erased_at timestamptz,
      erasure_receipt text,
      created_at timestamptz not null default now(),
      -- id and code lead: a look-up by either alone (an id names one customer) probes each
      -- campaign's index once instead of reading it whole.
      constraint customers_pkey primary key (id, campaign_id),
      constraint customers_registration_code_key unique (registration_code, campaign_id),
      constraint customers_campaign_id_source_ref_hash_key unique (campaign_id, source_ref_hash)
    ) partition by list (campaign_id);
    -- The same sequence goes on: ids stay unique across campaigns.
    select setval(pg_get_serial_sequence('customers', 'id'),
                  greatest((select max(id) from customers_unpartitioned), 1),
                  (select max(id) from customers_unpartitioned) is not null);

    create table customer_personal (
      customer_id bigint not null,
      campaign_id bigint not null,
      full_name text not null,
      full_name_kana text,
      birth_date date,
      postal_code text not null,
      address text not null,
      phone text,
      email text,
      household jsonb not null default '[]',
      person_digest bytea not null,
      ship_postal_code text,
      ship_address text,
      customer_ref text,
      lost_letter_digest bytea,
      constraint customer_personal_pkey primary key (customer_id, campaign_id),
      constraint customer_personal_customer_fkey foreign key (campaign_id, customer_id)
        references customers (campaign_id, id) on delete cascade
    ) partition by list (campaign_id);
    create index customer_personal_person_idx on customer_personal (campaign_id, person_digest);
    create index customer_personal_lost_letter_idx on customer_personal (campaign_id, lost_letter_digest)
      where lost_letter_digest is not null;

    create table letter_tokens (
      token_hash bytea not null check (octet_length(token_hash) = 32),
      campaign_id bigint not null references campaigns(id),
      customer_id bigint not null,
      issued_at timestamptz not null,
      replaced_at timestamptz,
      constraint letter_tokens_pkey primary key (token_hash, campaign_id),
      constraint letter_tokens_customer_fkey foreign key (campaign_id, customer_id)
        references customers (campaign_id, id)
    ) partition by list (campaign_id);
    create index letter_tokens_customer_idx on letter_tokens (campaign_id, customer_id);

    create trigger customers_end_sessions
      after update on customers
      referencing old table as changed_old new table as changed_new
      for each statement
      execute function end_customer_sessions_set();

    -- A campaign's partitions are made when its first customers come: by the batched import (and
    -- the test factories) through this function, or by the bulk import, which attaches tables it
    -- loaded (so it never has to take an empty partition out: a detach would lock every table
    -- with a foreign key to customers). Half of each customers page stays free, as before (erasure
    -- stamps stay HOT updates). The
    -- service's role has no DDL rights: these functions run as their owner, take only a campaign id
    -- (a bigint: nothing to inject) and touch only that campaign's own tables.
    create function create_campaign_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if to_regclass('customers_c' || campaign) is not null
         and to_regclass('customer_personal_c' || campaign) is not null
         and to_regclass('letter_tokens_c' || campaign) is not null then
        return;
      end if;
      -- Two first customers at once: one makes the partitions, the other waits and finds them.
      perform pg_advisory_xact_lock(1129923, (campaign % 2147483647)::integer);
      -- Making a partition locks its parent. The lock_timeout (500 ms, below the 1 s
      -- deadlock_timeout) makes this statement, never a customer's, give way when they wait for
      -- each other, and never queues every customer page behind a long transaction for more than a
      -- moment; the caller retries. The other functions here do the same.
      perform set_config('lock_timeout', '500ms', true);
      execute format('create table if not exists %I partition of customers for values in (%s) with (fillfactor = 50)',
                     'customers_c' || campaign, campaign);
      execute format('create table if not exists %I partition of customer_personal for values in (%s)',
                     'customer_personal_c' || campaign, campaign);
      execute format('create table if not exists %I partition of letter_tokens for values in (%s)',
                     'letter_tokens_c' || campaign, campaign);
    end $$;
    -- The bulk import of a campaign without customers (src/imports/import.bulk*.ts): plain tables
    -- without indexes take the COPY streams; then each gets its indexes (built once, sorted, instead
    -- of a random insert per row) and a check that lets the attach skip its scan; then they replace
    -- the campaign's empty partitions in the import's last transaction.
    create function bulk_load_discard(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      execute format('drop table if exists %I, %I, %I', 'letter_tokens_c' || campaign || '_load',
                     'customer_personal_c' || campaign || '_load', 'customers_c' || campaign || '_load');
    end $$;
    create function bulk_load_begin(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      perform bulk_load_discard(campaign);
      execute format('create table %I (like customers including defaults including constraints) with (fillfactor = 50)',
                     'customers_c' || campaign || '_load');
      execute format('create table %I (like customer_personal including defaults including constraints)',
                     'customer_personal_c' || campaign || '_load');
      execute format('create table %I (like letter_tokens including defaults including constraints)',
                     'letter_tokens_c' || campaign || '_load');
    end $$;
    create function bulk_load_index(campaign bigint, part text) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      t text := part || '_c' || campaign || '_load';
    begin
      perform set_config('maintenance_work_mem', '256MB', true);
      execute format('alter table %I add constraint %I check (campaign_id = %s)', t, t || '_campaign', campaign);
      if part = 'customers' then
        execute format('create unique index on %I (id, campaign_id)', t);
        execute format('create unique index on %I (registration_code, campaign_id)', t);
        execute format('create unique index on %I (campaign_id, source_ref_hash)', t);
      elsif part = 'customer_personal' then
        execute format('create unique index on %I (customer_id, campaign_id)', t);
        execute format('create index on %I (campaign_id, person_digest)', t);
        execute format('create index on %I (campaign_id, lost_letter_digest) where lost_letter_digest is not null', t);
      elsif part = 'letter_tokens' then
        execute format('create unique index on %I (token_hash, campaign_id)', t);
        execute format('create index on %I (campaign_id, customer_id)', t);
      else
        raise exception 'unknown part %', part;
      end if;
    end $$;
    -- Partitions left empty (a batched import that failed before its first batch, a test) make way
    -- for the load. Dropping a partition locks its parent: the two personal parents are locked
    -- first, in the order the service writes them, with a lock_timeout (the caller retries). An
    -- empty customers partition has foreign keys pointing at it and must be detached, which also
    -- locks every table with such a key: rare, and only for a campaign without customers.
    create function bulk_load_clear_empty(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      perform set_config('lock_timeout', '500ms', true);
      if exists (select 1 from customers where campaign_id = campaign) then
        raise exception 'campaign % has customers now: the bulk load is not attached', campaign;
      end if;
      if to_regclass('customers_c' || campaign) is not null then
        lock table customers, customer_personal, letter_tokens in access exclusive mode;
      else
        lock table customer_personal, letter_tokens in access exclusive mode;
      end if;
      execute format('drop table if exists %I, %I', 'letter_tokens_c' || campaign, 'customer_personal_c' || campaign);
      if to_regclass('customers_c' || campaign) is not null then
        execute format('alter table customers detach partition %I', 'customers_c' || campaign);
        execute format('drop table %I', 'customers_c' || campaign);
      end if;
    end $$;
    create function bulk_load_attach(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      part text;
    begin
      perform set_config('lock_timeout', '500ms', true);
      foreach part in array array['customers', 'customer_personal', 'letter_tokens'] loop
        execute format('alter table %I rename to %I', part || '_c' || campaign || '_load', part || '_c' || campaign);
        execute format('alter table %I attach partition %I for values in (%s)', part, part || '_c' || campaign, campaign);
      end loop;
    end $$;

    -- The purge: the campaign's personal rows and letter tokens go with their partitions, files and
    -- all (no dead tuples left behind in a shared table). The customers' tombstones stay.
    create function drop_campaign_personal_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      perform bulk_load_discard(campaign);
      -- Dropped, not detached: a detach would lock customers and every table with a key to it.
      perform set_config('lock_timeout', '500ms', true);
      lock table customer_personal, letter_tokens in access exclusive mode;
      execute format('drop table if exists %I, %I', 'letter_tokens_c' || campaign, 'customer_personal_c' || campaign);
    end $$;

    -- Only the owner and the service's role (granted by the grant step after migrating, see
    -- src/platform/roles.repo.ts) may call them.
    revoke execute on function create_campaign_partitions(bigint), bulk_load_discard(bigint),
      bulk_load_begin(bigint), bulk_load_index(bigint, text), bulk_load_clear_empty(bigint),
      bulk_load_attach(bigint), drop_campaign_personal_partitions(bigint) from public;

    select create_campaign_partitions(id) from campaigns where id in (select campaign_id from customers_unpartitioned);

    insert into customers (id, campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items,
                           erasure_requested_before, erased_at, erasure_receipt, created_at)
      overriding system value
      select id, campaign_id, registration_code, login_key_hash, source_ref_hash, leaked_items,
             erasure_requested_before, erased_at, erasure_receipt, created_at
        from customers_unpartitioned;
    insert into customer_personal (customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code,
                                   address, phone, email, household, person_digest, ship_postal_code,
                                   ship_address, customer_ref, lost_letter_digest)
      select customer_id, campaign_id, full_name, full_name_kana, birth_date, postal_code, address, phone,
             email, household, person_digest, ship_postal_code, ship_address, customer_ref, lost_letter_digest
        from customer_personal_unpartitioned;
    insert into letter_tokens (token_hash, campaign_id, customer_id, issued_at, replaced_at)
      select token_hash, campaign_id, customer_id, issued_at, replaced_at from letter_tokens_unpartitioned;
    drop table letter_tokens_unpartitioned, customer_personal_unpartitioned, customers_unpartitioned;

    -- Idempotency keys name their customer's campaign too, for the foreign key.
    alter table api_idempotency_keys add column campaign_id bigint;
    update api_idempotency_keys k set campaign_id = c.campaign_id from customers c where c.id = k.customer_id;

    alter table redemptions add constraint redemptions_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id);
    alter table login_attempts add constraint login_attempts_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id) on delete set null (customer_id);
    alter table suppression_list add constraint suppression_list_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id);
    alter table postcard_entries add constraint postcard_entries_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id);
    alter table customer_sessions add constraint customer_sessions_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id) on delete cascade;
    alter table contact_notes add constraint contact_notes_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id);
    alter table contact_requests add constraint contact_requests_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id);
    alter table api_idempotency_keys add constraint api_idempotency_keys_customer_fkey
      foreign key (campaign_id, customer_id) references customers (campaign_id, id) on delete cascade;
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('2026_12_01_014_partitions cannot be undone: restore from a backup taken before it');
}
