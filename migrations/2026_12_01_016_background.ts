import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A batch cut inserts 50,000 shipping lines in one statement. Each of the two foreign keys ran
    -- its check as a query of its own per line (100,000 trigger queries, ~55 % of the cut). The
    -- keys stay declared (the catalogue and \d still show them) but are checked by the triggers
    -- below: once per statement for a set of new lines, with the same rule and the same locks.
    alter table shipping_lines alter constraint shipping_lines_redemption_id_fkey not enforced;
    alter table shipping_lines alter constraint shipping_lines_batch_id_fkey not enforced;

    -- Every referenced row must exist, locked KEY SHARE until commit as a foreign key locks it: it
    -- cannot be deleted or re-keyed meanwhile, and a change of mind holding the redemption FOR
    -- UPDATE is waited for. Arrays, not joins: a transition table has no statistics, and a join
    -- could become a scan of every redemption; this is one primary-key probe per line.
    create function shipping_lines_check_keys() returns trigger language plpgsql as $$
    declare
      redemption_ids bigint[];
      batch_ids bigint[];
    begin
      if tg_level = 'ROW' then
        redemption_ids := array[new.redemption_id];
        batch_ids := array[new.batch_id];
      else
        -- redemption_id is the primary key: the new lines' ids are distinct already.
        redemption_ids := array(select redemption_id from new_lines);
        batch_ids := array(select distinct batch_id from new_lines);
      end if;
      if (select count(*) from (select 1 from redemptions r where r.id = any(redemption_ids)
                                   for key share of r) k) <> cardinality(redemption_ids) then
        raise exception 'insert or update on table "shipping_lines" violates foreign key constraint "shipping_lines_redemption_id_fkey"'
          using errcode = 'foreign_key_violation', table = 'shipping_lines',
                constraint = 'shipping_lines_redemption_id_fkey',
                detail = 'A line''s redemption_id is not present in table "redemptions".';
      end if;
      if (select count(*) from (select 1 from shipping_batches b where b.id = any(batch_ids)
                                   for key share of b) k) <> cardinality(batch_ids) then
        raise exception 'insert or update on table "shipping_lines" violates foreign key constraint "shipping_lines_batch_id_fkey"'
          using errcode = 'foreign_key_violation', table = 'shipping_lines',
                constraint = 'shipping_lines_batch_id_fkey',
                detail = 'A line''s batch_id is not present in table "shipping_batches".';
      end if;
      return null;
    end $$;
    create trigger shipping_lines_keys_on_insert
      after insert on shipping_lines
      referencing new table as new_lines
      for each statement
      execute function shipping_lines_check_keys();
    -- Lines never change their keys (only their tracking number); should one, it is checked alone.
    -- (A statement trigger cannot take a column list, and would copy every tracking-number update.)
    create trigger shipping_lines_keys_on_update
      after update of redemption_id, batch_id on shipping_lines
      for each row
      when (old.redemption_id is distinct from new.redemption_id or old.batch_id is distinct from new.batch_id)
      execute function shipping_lines_check_keys();

    -- The referenced side, as NO ACTION keys: a redemption or batch that lines point at cannot be
    -- deleted or take another id. Neither ever happens (nothing deletes them; ids are identities),
    -- so a per-row trigger costs nothing in practice and keeps the check simple.
    create function shipping_lines_keep_referenced() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.id = old.id then
        return null;
      end if;
      if (tg_table_name = 'redemptions'
          and exists (select 1 from shipping_lines l where l.redemption_id = old.id))
         or (tg_table_name = 'shipping_batches'
             and exists (select 1 from shipping_lines l where l.batch_id = old.id)) then
        raise exception 'update or delete on table "%" violates foreign key constraint on table "shipping_lines"', tg_table_name
          using errcode = 'foreign_key_violation', table = tg_table_name,
                detail = format('Key (id)=(%s) is still referenced from table "shipping_lines".', old.id);
      end if;
      return null;
    end $$;
    create trigger shipping_lines_keep_redemption
      after delete or update of id on redemptions
      for each row
      execute function shipping_lines_keep_referenced();
    create trigger shipping_lines_keep_batch
      after delete or update of id on shipping_batches
      for each row
      execute function shipping_lines_keep_referenced();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger shipping_lines_keep_batch on shipping_batches;
    drop trigger shipping_lines_keep_redemption on redemptions;
    drop function shipping_lines_keep_referenced();
    drop trigger shipping_lines_keys_on_update on shipping_lines;
    drop trigger shipping_lines_keys_on_insert on shipping_lines;
    drop function shipping_lines_check_keys();
    alter table shipping_lines alter constraint shipping_lines_batch_id_fkey enforced;
    alter table shipping_lines alter constraint shipping_lines_redemption_id_fkey enforced;
  `.execute(db);
}
