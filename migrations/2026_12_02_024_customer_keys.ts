import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// Every redemption, postcard entry and opt-out names its customer, and each foreign key to
// customers locked that customer's row (KEY SHARE) on insert: a write to the customer's page, and
// with it a full-page image in the WAL the first time the page changes after a checkpoint. At
// 10,000,000 customers the postcard intake wrote 0.91 images (5.2 kB of WAL) per card for these
// locks alone; with the three keys not enforced, 0.02 images and 1.5 kB (bench:postcards, README).
//
// The lock only guards against the customer being deleted, or re-keyed, before the referencing row
// commits. Neither happens: customers are never deleted (an erasure keeps the row as a tombstone and
// deletes the personal data; a purge drops the personal partitions and keeps customers). So
// customers now refuse both, whoever asks, and the three keys are checked by statement triggers
// that only look the customers up: the same rule without the lock. The keys stay declared, and
// PostgreSQL still refuses to truncate customers, or to detach or drop a partition of it, while
// rows point at it (checked for a NOT ENFORCED key too: test/customer-keys.test.ts).

/** The tables whose key to customers is checked by the triggers below, not by PostgreSQL. */
const KEYED_TABLES = ['redemptions', 'postcard_entries', 'suppression_list'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function customers_keep_rows() returns trigger language plpgsql as $$
    begin
      raise exception 'customers are never deleted or re-keyed (an erasure keeps the row as a tombstone)'
        using errcode = 'restrict_violation', table = tg_table_name,
              detail = format('Key (id, campaign_id)=(%s, %s).', old.id, old.campaign_id);
    end $$;
    -- Row triggers on a partitioned table are cloned onto every partition, present or attached later:
    -- a delete straight from customers_cN is refused too.
    create trigger customers_keep_rows_on_delete
      before delete on customers
      for each row
      execute function customers_keep_rows();
    create trigger customers_keep_rows_on_rekey
      before update of id, campaign_id on customers
      for each row
      when (old.id is distinct from new.id or old.campaign_id is distinct from new.campaign_id)
      execute function customers_keep_rows();

    -- The key's rule (MATCH SIMPLE: a row with a null column names no customer), once per statement.
    -- Per campaign, an array of ids: the campaign's partition alone is probed, one primary-key probe
    -- per customer (a join against the transition table, which has no statistics, could become a
    -- scan of every customer). tg_argv[0] is the constraint's name, for the same error a key gives.
    create function customer_keys_check() returns trigger language plpgsql as $$
    declare
      campaign bigint;
      ids bigint[];
      missing boolean := false;
    begin
      if tg_level = 'ROW' then
        missing := new.customer_id is not null and new.campaign_id is not null
          and not exists (select 1 from customers c where c.campaign_id = new.campaign_id and c.id = new.customer_id);
      else
        for campaign, ids in
          select n.campaign_id, array_agg(distinct n.customer_id) from new_rows n
           where n.customer_id is not null and n.campaign_id is not null
           group by n.campaign_id
        loop
          missing := (select count(*) from customers c where c.campaign_id = campaign and c.id = any(ids))
                     <> cardinality(ids);
          exit when missing;
        end loop;
      end if;
      if not missing then
        return null;
      end if;
      raise exception 'insert or update on table "%" violates foreign key constraint "%"', tg_table_name, tg_argv[0]
        using errcode = 'foreign_key_violation', table = tg_table_name, constraint = tg_argv[0],
              detail = 'A row''s (campaign_id, customer_id) is not present in table "customers".';
    end $$;
  `.execute(db);
  for (const table of KEYED_TABLES) {
    const key = sql.lit(`${table}_customer_fkey`);
    await sql`
      alter table ${sql.table(table)} alter constraint ${sql.id(`${table}_customer_fkey`)} not enforced;
      create trigger ${sql.id(`${table}_customer_on_insert`)}
        after insert on ${sql.table(table)} referencing new table as new_rows
        for each statement execute function customer_keys_check(${key});
      create trigger ${sql.id(`${table}_customer_on_update`)}
        after update of customer_id, campaign_id on ${sql.table(table)}
        for each row
        when (old.customer_id is distinct from new.customer_id or old.campaign_id is distinct from new.campaign_id)
        execute function customer_keys_check(${key});
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [...KEYED_TABLES].reverse()) {
    await sql`
      drop trigger ${sql.id(`${table}_customer_on_update`)} on ${sql.table(table)};
      drop trigger ${sql.id(`${table}_customer_on_insert`)} on ${sql.table(table)};
      alter table ${sql.table(table)} alter constraint ${sql.id(`${table}_customer_fkey`)} enforced;
    `.execute(db);
  }
  await sql`
    drop function customer_keys_check();
    drop trigger customers_keep_rows_on_rekey on customers;
    drop trigger customers_keep_rows_on_delete on customers;
    drop function customers_keep_rows();
  `.execute(db);
}
