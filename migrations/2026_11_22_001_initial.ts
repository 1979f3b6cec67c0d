import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table campaigns (
      id bigint generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      company_name text not null,
      state text not null default 'open' check (state in ('draft', 'open', 'closed', 'purged')),
      definition jsonb not null,
      deadline_at timestamptz not null,
      purge_deadline_at timestamptz not null,
      created_at timestamptz not null default now(),
      check (purge_deadline_at > deadline_at)
    );

    -- The non-personal record of a notified customer: it survives erasure (the tombstone).
    create table customers (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      registration_code text not null unique,
      login_key_hash bytea not null,
      -- keyed hash of the company's own customer reference: makes re-imports idempotent
      source_ref_hash bytea not null,
      leaked_items text[] not null default '{}',
      erasure_requested_before boolean not null default false,
      erased_at timestamptz,
      erasure_receipt text,
      created_at timestamptz not null default now(),
      -- also serves every "customers of a campaign" lookup (campaign_id leads)
      unique (campaign_id, source_ref_hash)
    ) with (fillfactor = 85);
    -- erased_at and erasure_receipt are deliberately unindexed (the receipt is derived from the id, so
    -- unique by construction) and pages keep free space: erasing is then a HOT update that touches
    -- no index, which is what lets erasure run at 100,000 customers a second.

    -- Personal data only; deleting this row is the erasure.
    create table customer_personal (
      customer_id bigint primary key references customers(id) on delete cascade,
      -- copied from customers (no foreign key of its own: the customer's already guarantees it)
      campaign_id bigint not null,
      full_name text not null,
      full_name_kana text,
      birth_date date,
      postal_code text not null,
      address text not null,
      phone text,
      email text,
      household jsonb not null default '[]',
      -- keyed hash of name + birth date + address, to spot one person imported twice
      person_digest bytea not null,
      ship_postal_code text,
      ship_address text
    );
    create index customer_personal_person_idx on customer_personal (campaign_id, person_digest);

    create table redemptions (
      id bigint generated always as identity primary key,
      customer_id bigint not null unique references customers(id),
      campaign_id bigint not null references campaigns(id),
      channel text not null check (channel in ('web', 'postcard')),
      option text not null check (option in ('emoney', 'book_card', 'donation')),
      brand text,
      amount_yen integer not null check (amount_yen > 0),
      data_choice text not null check (data_choice in ('none', 'marketing_optout', 'erasure')),
      address_confirmed boolean not null default false,
      postmark_date date,
      redeemed_at timestamptz not null default now(),
      fulfilled_at timestamptz,
      check ((option = 'emoney') = (brand is not null)),
      check (option <> 'emoney' or channel = 'web')
    );
    create index redemptions_campaign_idx on redemptions (campaign_id, redeemed_at);

    create table emoney_codes (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      brand text not null,
      code text not null,
      amount_yen integer not null,
      redemption_id bigint unique references redemptions(id),
      allocated_at timestamptz,
      created_at timestamptz not null default now(),
      unique (brand, code)
    );
    create index emoney_codes_free_idx on emoney_codes (campaign_id, brand, id) where redemption_id is null;

    -- Every login attempt; never the key. Digests are keyed hashes so the table holds no identifiers.
    create table login_attempts (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      customer_id bigint references customers(id) on delete set null,
      code_digest bytea not null,
      client_digest bytea not null,
      outcome text not null check (outcome in ('success', 'failure', 'locked', 'throttled')),
      at timestamptz not null default now()
    );
    -- The throttle counts failures only; successes (the bulk at peak) stay out of these indexes.
    create index login_attempts_code_idx on login_attempts (code_digest, at) where outcome = 'failure';
    create index login_attempts_code_success_idx on login_attempts (code_digest, at) where outcome = 'success';
    create index login_attempts_client_idx on login_attempts (client_digest, at) where outcome = 'failure';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table login_attempts;
    drop table emoney_codes;
    drop table redemptions;
    drop table customer_personal;
    drop table customers;
    drop table campaigns;
  `.execute(db);
}
