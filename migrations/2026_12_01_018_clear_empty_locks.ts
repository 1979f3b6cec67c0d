import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The bulk import's step that clears a campaign's empty partitions locked both personal parents in
// ACCESS EXCLUSIVE mode even when the campaign had no partitions at all (every new campaign). While
// that request waited behind any open transaction reading personal data, every page of every
// campaign queued behind it; in CI an import retried for 20 s behind a long reader and failed, and a
// purge beside it ran past 30 s. Now the parents are locked only when there is a partition to drop.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function bulk_load_clear_empty(campaign bigint) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      has_customers_part boolean;
      has_personal_parts boolean;
    begin
      perform set_config('lock_timeout', '500ms', true);
      if exists (select 1 from customers where campaign_id = campaign) then
        raise exception 'campaign % has customers now: the bulk load is not attached', campaign;
      end if;
      -- pg_class, not to_regclass: see create_campaign_partitions (migration 017).
      select exists (select 1 from pg_class where relnamespace = 'public'::regnamespace
                       and relname = 'customers_c' || campaign),
             exists (select 1 from pg_class where relnamespace = 'public'::regnamespace
                       and relname in ('customer_personal_c' || campaign, 'letter_tokens_c' || campaign))
        into has_customers_part, has_personal_parts;
      if has_customers_part then
        lock table customers, customer_personal, letter_tokens in access exclusive mode;
      elsif has_personal_parts then
        lock table customer_personal, letter_tokens in access exclusive mode;
      else
        return;
      end if;
      execute format('drop table if exists %I, %I', 'letter_tokens_c' || campaign, 'customer_personal_c' || campaign);
      if has_customers_part then
        execute format('alter table customers detach partition %I', 'customers_c' || campaign);
        execute format('drop table %I', 'customers_c' || campaign);
      end if;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function bulk_load_clear_empty(campaign bigint) returns void
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
  `.execute(db);
}
