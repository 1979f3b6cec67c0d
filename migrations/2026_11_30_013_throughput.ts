import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Erasure stamps erased_at and a receipt on every tombstone. With 15 % free space a page took
    -- about five new row versions of its forty, so most stamps were not HOT: each wrote an entry in
    -- all three customer indexes. Half the page free lets every row of a page be stamped in place.
    -- Applies to pages written from now on (imports); existing pages keep their fill.
    alter table customers set (fillfactor = 50);

    -- Sessions end on a new login key or an erasure, as before, but once per statement over the
    -- changed rows (a transition table) instead of one trigger call per row: an erasure batch of
    -- 20,000 customers paid 20,000 trigger calls. Transition tables cannot take a column list, so
    -- the statement trigger fires on every update of customers and compares old and new itself.
    drop trigger customers_end_sessions on customers;
    create function end_customer_sessions_set() returns trigger language plpgsql as $$
    begin
      delete from customer_sessions s
       using changed_old o join changed_new n on n.id = o.id
       where s.customer_id = n.id
         and (o.login_key_hash is distinct from n.login_key_hash
              or (o.erased_at is null and n.erased_at is not null));
      return null;
    end $$;
    create trigger customers_end_sessions
      after update on customers
      referencing old table as changed_old new table as changed_new
      for each statement
      execute function end_customer_sessions_set();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger customers_end_sessions on customers;
    drop function end_customer_sessions_set();
    create trigger customers_end_sessions
      after update of login_key_hash, erased_at on customers
      for each row
      when (old.login_key_hash is distinct from new.login_key_hash
            or (old.erased_at is null and new.erased_at is not null))
      execute function end_customer_sessions();
    alter table customers set (fillfactor = 85);
  `.execute(db);
}
