import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The company's own customer number: what its other systems need to honour an opt-out.
    alter table customer_personal add column customer_ref text;

    -- Intents to run a job, committed with the change that causes them; a relay hands them to BullMQ.
    create table outbox (
      id bigint generated always as identity primary key,
      queue text not null,
      job_name text not null,
      job_id text not null unique,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      relayed_at timestamptz
    );
    create index outbox_pending_idx on outbox (id) where relayed_at is null;

    alter table campaigns add column closed_at timestamptz;
    alter table campaigns add column purged_at timestamptz;

    create table shipping_batches (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      line_count integer not null,
      cut_at timestamptz not null,
      manifest_file text,
      shipped_at timestamptz
    );

    create table shipping_lines (
      redemption_id bigint primary key references redemptions(id),
      batch_id bigint not null references shipping_batches(id),
      line_no integer not null,
      tracking_number text,
      unique (batch_id, line_no)
    );

    create table donation_ledger (
      redemption_id bigint primary key references redemptions(id),
      campaign_id bigint not null references campaigns(id),
      recipient text not null,
      amount_yen integer not null check (amount_yen > 0),
      booked_at timestamptz not null
    );
    create index donation_ledger_campaign_idx on donation_ledger (campaign_id);

    -- Opt-outs for the company's other systems: the customer number only.
    create table suppression_list (
      customer_id bigint primary key references customers(id),
      campaign_id bigint not null references campaigns(id),
      customer_ref text,
      requested_at timestamptz not null,
      exported_at timestamptz
    );

    create table purge_reports (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references campaigns(id),
      started_at timestamptz not null,
      finished_at timestamptz not null,
      report jsonb not null
    );

    create table alerts (
      id bigint generated always as identity primary key,
      campaign_id bigint references campaigns(id),
      kind text not null,
      message text not null,
      raised_at timestamptz not null,
      resolved_at timestamptz
    );
    create unique index alerts_open_idx on alerts (coalesce(campaign_id, 0), kind) where resolved_at is null;

    create index redemptions_unfulfilled_idx on redemptions (campaign_id, option) where fulfilled_at is null;
    -- the batch cut walks a campaign's undelivered book cards in id order
    create index redemptions_book_cards_due_idx on redemptions (campaign_id, id) where option = 'book_card' and fulfilled_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index redemptions_book_cards_due_idx;
    drop index redemptions_unfulfilled_idx;
    drop table alerts;
    drop table purge_reports;
    drop table suppression_list;
    drop table donation_ledger;
    drop table shipping_lines;
    drop table shipping_batches;
    alter table campaigns drop column purged_at;
    alter table campaigns drop column closed_at;
    drop table outbox;
    alter table customer_personal drop column customer_ref;
  `.execute(db);
}
