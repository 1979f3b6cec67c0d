import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// Neither making a campaign's partitions nor purging them takes the shared parents' ACCESS
// EXCLUSIVE lock any more: while such a lock request waits (up to its 500 ms timeout) every page of
// every campaign that reads personal data queues behind it, and under steady traffic the purge
// retried for seconds (measured in the test suite: 10–16 s per purge, with other campaigns'
// checks stuck behind it).
//  - New partitions are plain tables attached to their parent: ATTACH takes SHARE UPDATE EXCLUSIVE
//    on the parent (readers and writers go on) and, for the foreign keys, SHARE ROW EXCLUSIVE on
//    the referenced or referencing tables for the moment an empty table takes (shown with pg_locks).
//  - The purge empties the campaign's personal partitions with TRUNCATE, which locks only those
//    partitions (their files are replaced at commit: nothing is left in dead tuples). Queries of
//    other campaigns, pruned to their own partitions, never touch them.
//  - The empty partitions are then dropped when the parents' lock comes within 200 ms; otherwise
//    a later purge run drops them (they hold nothing).
//  - The bulk load's tables carry their campaign check from the start (see bulk_load_begin below).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function create_campaign_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      part text;
      t text;
    begin
      if to_regclass('customers_c' || campaign) is not null
         and to_regclass('customer_personal_c' || campaign) is not null
         and to_regclass('letter_tokens_c' || campaign) is not null then
        return;
      end if;
      -- Two first customers at once: one makes the partitions, the other waits and finds them.
      perform pg_advisory_xact_lock(1129923, (campaign % 2147483647)::integer);
      perform set_config('lock_timeout', '500ms', true);
      foreach part in array array['customers', 'customer_personal', 'letter_tokens'] loop
        t := part || '_c' || campaign;
        -- Read from pg_class with this statement's snapshot, not to_regclass: its cache does not see
        -- the tables the other caller made while this one waited for the advisory lock (a test
        -- showed "relation already exists").
        continue when exists (select 1 from pg_class where relname = t and relnamespace = 'public'::regnamespace);
        execute format('create table %I (like %I including defaults including constraints) %s', t, part,
                       case when part = 'customers' then 'with (fillfactor = 50)' else '' end);
        -- The check lets the attach skip its scan; the attach adds the parent's indexes and keys.
        execute format('alter table %I add constraint %I check (campaign_id = %s)', t, t || '_campaign', campaign);
        execute format('alter table %I attach partition %I for values in (%s)', part, t, campaign);
      end loop;
    end $$;

    create function empty_campaign_personal_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      t text;
    begin
      perform bulk_load_discard(campaign);
      perform set_config('lock_timeout', '500ms', true);
      foreach t in array array['letter_tokens_c' || campaign, 'customer_personal_c' || campaign] loop
        if to_regclass(t) is not null then
          execute format('truncate %I', t);
        end if;
      end loop;
    end $$;

    create or replace function drop_campaign_personal_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      t text;
      holds boolean;
    begin
      foreach t in array array['letter_tokens_c' || campaign, 'customer_personal_c' || campaign] loop
        if to_regclass(t) is not null then
          execute format('select exists (select 1 from %I)', t) into holds;
          if holds then
            raise exception 'partition % still holds rows: it is emptied by the purge first', t;
          end if;
        end if;
      end loop;
      perform set_config('lock_timeout', '200ms', true);
      lock table customer_personal, letter_tokens in access exclusive mode;
      execute format('drop table if exists %I, %I', 'letter_tokens_c' || campaign, 'customer_personal_c' || campaign);
    end $$;

    -- The bulk load's tables get their campaign check when they are made, not before indexing:
    -- adding a check takes ACCESS EXCLUSIVE, which would make the index builds wait for the letters
    -- being read from the same tables (src/imports/import.bulk.ts runs the two side by side).
    create or replace function bulk_load_begin(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      part text;
      t text;
    begin
      perform bulk_load_discard(campaign);
      foreach part in array array['customers', 'customer_personal', 'letter_tokens'] loop
        t := part || '_c' || campaign || '_load';
        execute format('create table %I (like %I including defaults including constraints, constraint %I check (campaign_id = %s)) %s',
                       t, part, t || '_campaign', campaign,
                       case when part = 'customers' then 'with (fillfactor = 50)' else '' end);
      end loop;
    end $$;
    create or replace function bulk_load_index(campaign bigint, part text) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      t text := part || '_c' || campaign || '_load';
    begin
      perform set_config('maintenance_work_mem', '256MB', true);
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

    revoke execute on function empty_campaign_personal_partitions(bigint) from public;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function empty_campaign_personal_partitions(bigint);

    create or replace function bulk_load_begin(campaign bigint) returns void
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
    create or replace function bulk_load_index(campaign bigint, part text) returns void
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

    create or replace function drop_campaign_personal_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      perform bulk_load_discard(campaign);
      perform set_config('lock_timeout', '500ms', true);
      lock table customer_personal, letter_tokens in access exclusive mode;
      execute format('drop table if exists %I, %I', 'letter_tokens_c' || campaign, 'customer_personal_c' || campaign);
    end $$;

    create or replace function create_campaign_partitions(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if to_regclass('customers_c' || campaign) is not null
         and to_regclass('customer_personal_c' || campaign) is not null
         and to_regclass('letter_tokens_c' || campaign) is not null then
        return;
      end if;
      perform pg_advisory_xact_lock(1129923, (campaign % 2147483647)::integer);
      perform set_config('lock_timeout', '500ms', true);
      execute format('create table if not exists %I partition of customers for values in (%s) with (fillfactor = 50)',
                     'customers_c' || campaign, campaign);
      execute format('create table if not exists %I partition of customer_personal for values in (%s)',
                     'customer_personal_c' || campaign, campaign);
      execute format('create table if not exists %I partition of letter_tokens for values in (%s)',
                     'letter_tokens_c' || campaign, campaign);
    end $$;
  `.execute(db);
}
