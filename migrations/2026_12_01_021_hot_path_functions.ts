import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// The customers' three hottest statements (the login's verdict, the status every page reads, the web
// redemption's record) are server-side functions. PL/pgSQL keeps the plan of each statement inside a
// function for the life of the server connection, so PostgreSQL plans them once per connection, not
// on every page (planning was most of the database's time per page). Unlike client-side prepared
// statements this needs nothing from the client or a pooler: it works the same through PgBouncer in
// transaction mode. The functions run with the caller's rights; the service role alone may call them.
// The statements are the ones src/auth/auth.repo.ts and src/redemption/redemption.repo.ts described
// until now; a change to them is a new migration (create or replace).
//
// `#variable_conflict use_column`: a name in a statement is a column, never a result column of the
// function (the parameters all start with p_). Columns whose type is a domain are returned as their
// base type (RETURN QUERY wants the declared types exactly), so a later domain changes no function.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function judge_login_attempt(
      p_campaign_id bigint, p_code_digest bytea, p_client_digest bytea, p_registration_code text,
      p_presented_digest bytea, p_nonce bytea, p_at timestamptz, p_minute_ago timestamptz,
      p_lock_window_start timestamptz, p_client_limit int, p_code_limit int,
      p_session_id bytea, p_session_created_at timestamptz, p_session_expires_at timestamptz,
      p_replaces bytea)
    returns table (outcome text, customer_id bigint)
    language plpgsql volatile set search_path = public, pg_temp as $$
    #variable_conflict use_column
    begin
      return query
      with customer as (
        select id, login_key_hash from customers
         where registration_code = p_registration_code and campaign_id = p_campaign_id
      ), attempt as (
        select k.ok as key_ok,
               not k.ok and (select count(*) from login_throttle c, unnest(c.failures) f
                              where c.key = p_code_digest and f > p_lock_window_start) < p_code_limit
                 as counts
          from (select exists (select 1 from customer
                                where sha256(login_key_hash || p_nonce) = p_presented_digest) as ok) k
      ), client as (
        -- The client's row, locked (an upsert: a racing attempt waits, then sees this one's failure):
        -- refused when its last minute already holds p_client_limit failures. The attempt is added as
        -- a failure when it counts (a wrong key, on a code not locked as far as this snapshot shows);
        -- a refused attempt is not added.
        insert into login_throttle as t (key, campaign_id, failures, refused, touched_at)
        select p_client_digest, null,
               case when attempt.counts and 0 < p_client_limit then array[p_at] else '{}'::timestamptz[] end,
               0 >= p_client_limit, p_at
          from attempt
        on conflict (key) do update set
          failures = case when cardinality(array(select f from unnest(t.failures) f where f > p_minute_ago)) >= p_client_limit
                          then array(select f from unnest(t.failures) f where f > p_minute_ago)
                          else array(select f from unnest(t.failures) f where f > p_minute_ago) || excluded.failures end,
          refused = cardinality(array(select f from unnest(t.failures) f where f > p_minute_ago)) >= p_client_limit,
          touched_at = excluded.touched_at
        returning refused
      ), code as (
        -- The code's row, locked after the client's (always in this order: no deadlock): refused
        -- (locked) when its lock window holds p_code_limit failures since its last success. Not
        -- changed by a refused (throttled) attempt; emptied by a success; otherwise the failure is added.
        insert into login_throttle as t (key, campaign_id, failures, refused, touched_at)
        select p_code_digest, p_campaign_id,
               case when c.refused or attempt.key_ok or 0 >= p_code_limit then '{}'::timestamptz[]
                    else array[p_at] end,
               c.refused or 0 >= p_code_limit, p_at
          from client c, attempt
        on conflict (key) do update set
          failures = case when cardinality(array(select f from unnest(t.failures) f where f > p_lock_window_start)) >= p_code_limit
                            or excluded.refused
                          then array(select f from unnest(t.failures) f where f > p_lock_window_start)
                          when cardinality(excluded.failures) = 0 then '{}'::timestamptz[]
                          else array(select f from unnest(t.failures) f where f > p_lock_window_start) || excluded.failures end,
          refused = excluded.refused
                    or cardinality(array(select f from unnest(t.failures) f where f > p_lock_window_start)) >= p_code_limit,
          touched_at = excluded.touched_at
        returning refused
      ), verdict as (
        select case when client.refused then 'throttled'
                    when code.refused then 'locked'
                    when attempt.key_ok then 'success'
                    else 'failure' end as outcome,
               (select id from customer) as customer_id
          from client, code, attempt
      ), settled as (
        insert into login_attempts (campaign_id, customer_id, code_digest, client_digest, outcome, at)
        select p_campaign_id, case when v.outcome in ('success', 'failure') then v.customer_id end,
               p_code_digest, p_client_digest, v.outcome, p_at
          from verdict v
        returning outcome, customer_id
      ), expired as (
        delete from customer_sessions
         where id in (select id from customer_sessions
                       where expires_at < p_session_created_at and campaign_id = p_campaign_id
                       limit 50)
           and exists (select 1 from settled where outcome = 'success')
      ), replaced as (
        delete from customer_sessions
         where id = p_replaces and exists (select 1 from settled where outcome = 'success')
      ), opened as (
        insert into customer_sessions (id, customer_id, campaign_id, created_at, expires_at)
        select p_session_id, customer_id, p_campaign_id, p_session_created_at, p_session_expires_at
          from settled where outcome = 'success' and p_session_id is not null
      )
      select settled.outcome, settled.customer_id from settled;
    end $$`.execute(db);

  await sql`
    create function customer_status(
      p_campaign_id bigint, p_customer_id bigint, p_session_key bytea, p_now timestamptz)
    returns table (
      campaign_id bigint, erasure_requested_before boolean, erased_at timestamptz,
      erasure_receipt text, leaked_items text[],
      full_name text, postal_code text, address text, ship_postal_code text, ship_address text,
      household_count int,
      r_id bigint, r_campaign_id bigint, r_channel text, r_option text, r_brand text, r_amount_yen int,
      r_data_choice text, r_address_confirmed boolean, r_postmark_date date, r_redeemed_at timestamptz,
      r_fulfilled_at timestamptz, r_postcard_batch_id bigint, r_entered_by bigint,
      emoney_code text, batch_cut boolean, donation_booked boolean, last_changed_at timestamptz,
      session_live boolean)
    language plpgsql stable set search_path = public, pg_temp as $$
    #variable_conflict use_column
    begin
      return query
      select c.campaign_id, c.erasure_requested_before, c.erased_at, c.erasure_receipt::text, c.leaked_items::text[],
             p.full_name, p.postal_code, p.address, p.ship_postal_code, p.ship_address,
             jsonb_array_length(p.household),
             r.id, r.campaign_id, r.channel::text, r.option::text, r.brand, r.amount_yen, r.data_choice::text,
             r.address_confirmed, r.postmark_date, r.redeemed_at, r.fulfilled_at, r.postcard_batch_id,
             r.entered_by,
             e.code,
             exists (select 1 from shipping_lines l where l.redemption_id = r.id),
             exists (select 1 from donation_ledger d where d.redemption_id = r.id),
             (select max(x.changed_at) from redemption_changes x where x.redemption_id = r.id),
             p_session_key is null
               or exists (select 1 from customer_sessions s
                           where s.id = p_session_key and s.customer_id = c.id and s.expires_at > p_now)
        from customers c
        left join customer_personal p on p.campaign_id = c.campaign_id and p.customer_id = c.id
        left join redemptions r on r.customer_id = c.id
        left join emoney_codes e on e.redemption_id = r.id
       where c.campaign_id = p_campaign_id and c.id = p_customer_id;
    end $$`.execute(db);

  await sql`
    create function record_web_redemption(
      p_campaign_id bigint, p_customer_id bigint, p_channel text, p_option text, p_brand text,
      p_amount_yen int, p_data_choice text, p_address_confirmed boolean, p_postmark_date date,
      p_at timestamptz, p_postcard_batch_id bigint, p_entered_by bigint,
      p_queue text, p_job_id_prefix text)
    returns table (campaign_id bigint, erased_at timestamptz, redemption_id bigint, data_choice text)
    language plpgsql volatile set search_path = public, pg_temp as $$
    #variable_conflict use_column
    begin
      return query
      with c as (
        select id, campaign_id, erased_at, erasure_requested_before from customers
         where campaign_id = p_campaign_id and id = p_customer_id for update
      ), ins as (
        insert into redemptions
          (customer_id, campaign_id, channel, option, brand, amount_yen, data_choice, address_confirmed,
           postmark_date, redeemed_at, postcard_batch_id, entered_by)
        select c.id, p_campaign_id, p_channel, p_option, p_brand, p_amount_yen,
               case when c.erasure_requested_before then 'erasure' else p_data_choice end,
               p_address_confirmed, p_postmark_date, p_at, p_postcard_batch_id, p_entered_by
          from c
         where c.campaign_id = p_campaign_id and c.erased_at is null
        on conflict (customer_id) do nothing
        returning id, data_choice
      ), intent as (
        insert into outbox (queue, job_name, job_id, payload)
        select p_queue, 'fulfil', p_job_id_prefix || ins.id,
               jsonb_build_object('redemptionId', ins.id::text, 'campaignId', p_campaign_id::text)
          from ins
        on conflict (job_id) do nothing
      )
      select c.campaign_id, c.erased_at, (select id from ins), (select ins.data_choice::text from ins)
        from c;
    end $$`.execute(db);

  await sql`
    revoke execute on function
      judge_login_attempt(bigint, bytea, bytea, text, bytea, bytea, timestamptz, timestamptz, timestamptz,
                          int, int, bytea, timestamptz, timestamptz, bytea),
      customer_status(bigint, bigint, bytea, timestamptz),
      record_web_redemption(bigint, bigint, text, text, text, int, text, boolean, date, timestamptz,
                            bigint, bigint, text, text)
    from public`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function judge_login_attempt(bigint, bytea, bytea, text, bytea, bytea, timestamptz,
    timestamptz, timestamptz, int, int, bytea, timestamptz, timestamptz, bytea)`.execute(db);
  await sql`drop function customer_status(bigint, bigint, bytea, timestamptz)`.execute(db);
  await sql`drop function record_web_redemption(bigint, bigint, text, text, text, int, text, boolean,
    date, timestamptz, bigint, bigint, text, text)`.execute(db);
}
