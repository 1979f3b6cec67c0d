import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Operators' API tokens (src/api): only the SHA-256 of the token is kept; the token itself is
    -- shown once. Every token expires; a revoked one stays listed (and its audit entries name it).
    create table api_tokens (
      id bigint generated always as identity primary key,
      name text not null check (char_length(name) between 1 and 60),
      scopes text[] not null check (cardinality(scopes) >= 1),
      token_hash bytea not null unique check (octet_length(token_hash) = 32),
      created_by bigint not null references staff(id),
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      revoked_at timestamptz,
      revoked_by bigint references staff(id),
      last_used_at timestamptz
    );

    -- The answers to requests sent with an Idempotency-Key, per caller (a customer's session or an
    -- operator's token): the same key and body get the same answer for at least 24 hours. A row is
    -- inserted before the action runs, in its transaction: a concurrent request with the same key
    -- waits on the primary key and then reads the stored answer. No personal data in the answer.
    create table api_idempotency_keys (
      scope text not null,
      key text not null check (char_length(key) between 1 and 255),
      request_hash bytea not null,
      status smallint not null,
      -- The answer's JSON as sent (text: jsonb would reorder its keys, and a replay must be byte-identical).
      body text not null,
      customer_id bigint references customers(id) on delete cascade,
      api_token_id bigint references api_tokens(id) on delete cascade,
      created_at timestamptz not null,
      primary key (scope, key)
    );
    create index api_idempotency_keys_created_at on api_idempotency_keys (created_at);

    -- Fixed-window request counters of the API, shared by every web process. The key is a digest
    -- (of a client address or a token id), never the address itself.
    create table api_rate_limits (
      key bytea primary key,
      window_start timestamptz not null,
      hits integer not null
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table api_rate_limits`.execute(db);
  await sql`drop table api_idempotency_keys`.execute(db);
  await sql`drop table api_tokens`.execute(db);
}
