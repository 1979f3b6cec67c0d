import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A letter that proves itself (src/letters): every letter printed (the import's, and each
    -- reissue) carries a random token in its QR code. Only a keyed hash of the token is kept; it
    -- names the customer, never any personal data. A reissue marks the earlier letters replaced.
    create table letter_tokens (
      token_hash bytea primary key check (octet_length(token_hash) = 32),
      campaign_id bigint not null references campaigns(id),
      customer_id bigint not null references customers(id),
      issued_at timestamptz not null,
      replaced_at timestamptz
    );
    -- A reissue replaces the customer's letters; the purge deletes the campaign's.
    create index letter_tokens_customer_idx on letter_tokens (campaign_id, customer_id);

    -- Wrong tokens shown to the verification page or the login, per client (a keyed digest of the
    -- address, as the login's throttle keeps it): counted to slow down whoever tries many.
    create table letter_check_failures (
      client_digest bytea not null,
      campaign_id bigint references campaigns(id),
      at timestamptz not null
    );
    create index letter_check_failures_client_idx on letter_check_failures (client_digest, at);
    create index letter_check_failures_campaign_idx on letter_check_failures (campaign_id);

    -- Lost letters: the contact centre finds a customer by kana name, birth date and postal code
    -- together. A keyed digest of the three normalised values, so the search is one index probe
    -- (never a scan of the campaign) and the values themselves are never compared in SQL. Null when
    -- one of the three is unknown. Goes with the personal row (erasure, purge).
    alter table customer_personal add column lost_letter_digest bytea;
    create index customer_personal_lost_letter_idx on customer_personal (campaign_id, lost_letter_digest)
      where lost_letter_digest is not null;

    -- The contact centre's lost-letter searches, per staff member: a limit of its own, stricter than
    -- the look-ups by code (a search by name and birth date is worth more to a snoop).
    create table lost_letter_searches (
      id bigint generated always as identity primary key,
      staff_id bigint not null references staff(id),
      at timestamptz not null
    );
    create index lost_letter_searches_staff_idx on lost_letter_searches (staff_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table lost_letter_searches`.execute(db);
  await sql`drop index customer_personal_lost_letter_idx`.execute(db);
  await sql`alter table customer_personal drop column lost_letter_digest`.execute(db);
  await sql`drop table letter_check_failures`.execute(db);
  await sql`drop table letter_tokens`.execute(db);
}
