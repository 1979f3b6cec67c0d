import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A customer's change of mind (src/redemption/choice-change.service.ts): one row per change,
    -- what it was before and after, when, and through which channel. No personal data (a changed
    -- address lives in customer_personal; only the fact that it changed is kept here), so the rows
    -- outlive erasure and the purge like the redemption itself.
    create table redemption_changes (
      id bigint generated always as identity primary key,
      redemption_id bigint not null references redemptions(id),
      campaign_id bigint not null references campaigns(id),
      changed_at timestamptz not null,
      channel text not null check (channel in ('web', 'api')),
      option_before text not null check (option_before in ('emoney', 'book_card', 'donation')),
      option_after text not null check (option_after in ('emoney', 'book_card', 'donation')),
      amount_yen_before integer not null,
      amount_yen_after integer not null,
      data_choice_before text not null check (data_choice_before in ('none', 'marketing_optout', 'erasure')),
      data_choice_after text not null check (data_choice_after in ('none', 'marketing_optout', 'erasure')),
      address_changed boolean not null default false,
      check (option_before <> option_after or data_choice_before <> data_choice_after or address_changed)
    );
    create index redemption_changes_redemption_idx on redemption_changes (redemption_id, changed_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table redemption_changes`.execute(db);
}
